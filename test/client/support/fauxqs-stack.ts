import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { createClients, localConnection, type AwsClients, type Connection } from '../../../client/connection.ts';
import type { OutputsSource } from '../../../client/stack-outputs.ts';
import { OUTPUT_KEYS } from '../../../contracts/outputs.ts';
import { fixtureTopology } from '../../fixtures/app/topology.ts';
import { resolveTopology, type ResolvedTopology } from '../../../topology/resolve.ts';
import type { Topology } from '../../../topology/types.ts';

export interface FauxqsStack {
  readonly server: FauxqsServer;
  readonly connection: Connection;
  readonly clients: AwsClients;
  readonly resolved: ResolvedTopology;
  readonly outputs: Record<string, string>;
  readonly source: OutputsSource;
  stop(): Promise<void>;
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const r = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return r.Attributes!.QueueArn!;
}

/**
 * Starts fauxqs on port 0 and creates, through the SDK, the topics, queues, DLQs, subscriptions and
 * payload bucket of a topology the way the stack would, returning the stack outputs that point at them.
 */
export async function startFauxqsStack(
  topology: Topology = fixtureTopology,
  stage = 'dev',
  opts: { readonly payloadBucket?: boolean } = {},
): Promise<FauxqsStack> {
  const server = await startFauxqs({ port: 0, logger: false });
  const connection = localConnection(server.address);
  const clients = createClients(connection);
  const resolved = resolveTopology(topology, stage);
  const outputs: Record<string, string> = {};
  const topicArns = new Map<string, string>();
  for (const topic of resolved.topics) {
    const attributes: Record<string, string> = topic.fifo
      ? { FifoTopic: 'true', ContentBasedDeduplication: String(topic.contentBasedDeduplication) }
      : {};
    const { TopicArn } = await clients.sns.send(
      new CreateTopicCommand({ Name: topic.physicalName, Attributes: attributes }),
    );
    topicArns.set(topic.name, TopicArn!);
    outputs[OUTPUT_KEYS.topicArn(topic.name)] = TopicArn!;
  }
  for (const e of resolved.endpoints) {
    const fifo: Record<string, string> = e.fifo ? { FifoQueue: 'true' } : {};
    const attributes: Record<string, string> = { ...fifo, VisibilityTimeout: String(e.visibilityTimeoutSeconds) };
    if (e.maxReceiveCount !== undefined) {
      const dlq = await clients.sqs.send(
        new CreateQueueCommand({ QueueName: e.names.deadLetterQueue, Attributes: fifo }),
      );
      outputs[OUTPUT_KEYS.deadLetterQueueUrl(e.name)] = dlq.QueueUrl!;
      attributes.RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: await queueArn(clients.sqs, dlq.QueueUrl!),
        maxReceiveCount: e.maxReceiveCount,
      });
    }
    const queue = await clients.sqs.send(new CreateQueueCommand({ QueueName: e.names.queue, Attributes: attributes }));
    const arn = await queueArn(clients.sqs, queue.QueueUrl!);
    outputs[OUTPUT_KEYS.queueUrl(e.name)] = queue.QueueUrl!;
    outputs[OUTPUT_KEYS.queueArn(e.name)] = arn;
    if (e.topic) {
      const subDlq = await clients.sqs.send(
        new CreateQueueCommand({ QueueName: e.names.subscriptionDeadLetterQueue, Attributes: fifo }),
      );
      outputs[OUTPUT_KEYS.subscriptionDeadLetterQueueUrl(e.name)] = subDlq.QueueUrl!;
      const subscription: Record<string, string> = { RawMessageDelivery: String(e.rawDelivery) };
      if (e.filterPolicy) {
        subscription.FilterPolicy = JSON.stringify(e.filterPolicy);
        subscription.FilterPolicyScope = e.filterPolicyScope === 'body' ? 'MessageBody' : 'MessageAttributes';
      }
      await clients.sns.send(
        new SubscribeCommand({
          TopicArn: topicArns.get(e.topic),
          Protocol: 'sqs',
          Endpoint: arn,
          Attributes: subscription,
        }),
      );
    }
  }
  if (opts.payloadBucket !== false) {
    const bucket = `${resolved.prefix}-payloads`;
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    outputs[OUTPUT_KEYS.payloadBucketName] = bucket;
  }
  return {
    server,
    connection,
    clients,
    resolved,
    outputs,
    source: { kind: 'static', outputs, connection },
    stop: async () => {
      clients.destroy();
      await server.stop();
    },
  };
}
