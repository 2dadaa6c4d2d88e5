import { OUTPUT_KEYS } from '../contracts/index.ts';
import { templateGraph } from '../assembly/index.ts';
import type { LocalCloud } from '../local/index.ts';
import type { ConsoleGraph, ConsoleNode } from './protocol.ts';

export interface ConsoleModel {
  readonly graph: ConsoleGraph;
  /** Alarm name → the graph nodes it watches. */
  readonly watches: ReadonlyMap<string, readonly string[]>;
}

/** The template's topology graph with each node's local physical names, the keys of its live numbers. */
export function consoleModel(cloud: LocalCloud): ConsoleModel {
  const graph = templateGraph(cloud.template);
  // DLQ URL → the endpoint and which of its DLQs it is (the queue's, or its SNS subscription's).
  const dlqUrlOf = new Map<string, { endpoint: string; source: 'queue' | 'subscription' }>();
  for (const node of graph.nodes) {
    if (node.kind === 'dead-letter-queue' && node.endpoint) {
      const url = cloud.outputs[OUTPUT_KEYS.deadLetterQueueUrl(node.endpoint)];
      if (url) dlqUrlOf.set(url, { endpoint: node.endpoint, source: 'queue' });
      const subUrl = cloud.outputs[OUTPUT_KEYS.subscriptionDeadLetterQueueUrl(node.endpoint)];
      if (subUrl) dlqUrlOf.set(subUrl, { endpoint: node.endpoint, source: 'subscription' });
    }
  }
  const nodes = graph.nodes.map((node): ConsoleNode => {
    const resource = cloud.resources.get(node.id);
    if (!resource) return node;
    const a = resource.attributes;
    switch (node.kind) {
      case 'queue':
      case 'dead-letter-queue': {
        const replay = dlqUrlOf.get(resource.physicalId);
        return {
          ...node,
          queueName: String(a.QueueName),
          queueUrl: resource.physicalId,
          ...(replay ? { replayEndpoint: replay.endpoint, replaySource: replay.source } : {}),
        };
      }
      case 'function':
        return { ...node, functionName: resource.physicalId };
      case 'table':
        return { ...node, tableName: resource.physicalId };
      case 'topic':
        return { ...node, topicArn: resource.physicalId };
      default:
        return node;
    }
  });
  return { graph: { nodes, edges: graph.edges }, watches: new Map(graph.alarms.map((a) => [a.name, a.watches])) };
}
