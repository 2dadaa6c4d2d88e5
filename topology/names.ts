import { type EndpointFacts, endpointFacts } from './endpoint-facts.ts';
import type { Topology } from './types.ts';

const FIFO_SUFFIX = '.fifo';

/** The topic every alarm notifies when the topology names none (created if not declared). */
export const DEFAULT_ALARM_TOPIC = 'ops-alarms';

/** Request/reply answer queues are named `<prefix>-reply-<id>`; IAM scopes reply grants to this prefix. */
export const replyQueuePrefix = (prefix: string) => `${prefix}-reply-`;

export interface EndpointNames {
  readonly queue: string;
  readonly deadLetterQueue: string;
  /** DLQ of the SNS subscription (messages SNS could not deliver to the queue). */
  readonly subscriptionDeadLetterQueue: string;
  readonly function: string;
}

export interface PhysicalNames {
  readonly prefix: string;
  readonly topics: Record<string, string>;
  readonly endpoints: Record<string, EndpointNames>;
  readonly tables: Record<string, string>;
  readonly idempotencyTable: string;
  /** Request/reply answer queues are named `<prefix>-reply-<id>` (IAM scopes reply grants to it). */
  readonly replyQueuePrefix: string;
}

/** The stack name of a topology at a stage: `<app>-<stage>`. */
export const stackName = (app: string, stage: string) => `${app}-${stage}`;

/** Physical AWS names of every resource, `<app>-<stage>-<element>[-suffix][.fifo]`. */
export function physicalNames(
  topology: Topology,
  stage: string,
  facts: readonly EndpointFacts[] = endpointFacts(topology),
): PhysicalNames {
  const prefix = stackName(topology.name, stage);
  const fifo = (name: string, isFifo: boolean | undefined) => (isFifo ? `${name}${FIFO_SUFFIX}` : name);
  const topics: Record<string, string> = {};
  const endpoints: Record<string, EndpointNames> = {};
  const endpoint = (name: string, isFifo: boolean, viaTopic: boolean, topicFifo: boolean) => ({
    queue: fifo(`${prefix}-${name}`, isFifo),
    deadLetterQueue: fifo(`${prefix}-${name}-dlq`, isFifo),
    // SNS requires the subscription DLQ to match the topic's FIFO-ness.
    subscriptionDeadLetterQueue: viaTopic ? fifo(`${prefix}-${name}-sub-dlq`, topicFifo) : '',
    function: `${prefix}-${name}`,
  });
  for (const topic of topology.topics) topics[topic.name] = fifo(`${prefix}-${topic.name}`, topic.fifo);
  const alarmTopic = topology.alarmTopic ?? DEFAULT_ALARM_TOPIC;
  topics[alarmTopic] ??= `${prefix}-${alarmTopic}`;
  for (const e of facts) {
    endpoints[e.spec.name] = endpoint(e.spec.name, e.fifo, e.topic !== undefined, e.topicFifo ?? false);
  }
  const tables: Record<string, string> = {};
  for (const table of topology.tables ?? []) tables[table.name] = `${prefix}-${table.name}`;
  return {
    prefix,
    topics,
    endpoints,
    tables,
    idempotencyTable: `${prefix}-idempotency`,
    replyQueuePrefix: replyQueuePrefix(prefix),
  };
}
