import { randomUUID } from 'node:crypto';
import { SetSubscriptionAttributesCommand, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, type Message, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { LIMITS } from '../topology/internal.ts';
import { REPLAY_POLICY_ATTRIBUTE, REPLAY_STATUSES, replayPolicy } from '../contracts/index.ts';
import type { OperatorContext } from './operator.ts';
import { archiveWindow, followReplay, ReplayRefusedError } from './replay.ts';
import { deleteMessages, queueAttributes } from './sqs-util.ts';

/** A queue SNS may deliver the topic's messages to (a FIFO topic's subscribers are FIFO queues). */
async function scratchQueue(ops: OperatorContext, topicArn: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await ops.clients.sqs.send(
    new CreateQueueCommand({
      // Named after the stack, so a queue left by a killed check can be traced to it.
      QueueName: `${ops.target.topology.prefix}-schema-check-${randomUUID().slice(0, 8)}.fifo`,
      Attributes: {
        FifoQueue: 'true',
        SqsManagedSseEnabled: 'true',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: '*',
              Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
            },
          ],
        }),
      },
    }),
  );
  const { QueueArn } = await queueAttributes(ops.clients.sqs, QueueUrl!, ['QueueArn']);
  return { url: QueueUrl!, arn: QueueArn! };
}

async function drain(ops: OperatorContext, url: string, max: number): Promise<Message[]> {
  const read: Message[] = [];
  while (read.length < max) {
    const { Messages = [] } = await ops.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: LIMITS.batchEntriesMax,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return read;
    read.push(...Messages);
    await deleteMessages(ops.clients.sqs, url, Messages);
  }
  return read.slice(0, max);
}

export interface ReadArchiveOptions {
  /** Most messages to read. */
  readonly max: number;
  /** Stops waiting for the replay; the scratch queue and subscription are removed all the same. */
  readonly signal?: AbortSignal;
  /** @default 250 */
  readonly pollIntervalMs?: number;
}

/**
 * Every message a FIFO topic's archive holds: SNS lets an archive be replayed, not read, so the
 * archive is replayed into a scratch queue subscribed for the purpose, read, and both are deleted.
 */
export async function readArchive(
  ops: OperatorContext,
  topicName: string,
  options: ReadArchiveOptions,
): Promise<Message[]> {
  const topic = ops.target.topology.topics.find((t) => t.name === topicName);
  if (!topic?.fifo || topic.archiveRetentionDays === undefined) {
    const archiving = ops.target.topology.topics.filter((t) => t.fifo && t.archiveRetentionDays !== undefined);
    throw new ReplayRefusedError(
      `Topic '${topicName}' ${topic ? 'keeps no archive' : 'is not in the topology'}. Fix: check a FIFO topic with archiveRetentionDays (${archiving.map((t) => t.name).join(', ') || 'none'}), or --against dlq.`,
    );
  }
  const topicArn = ops.target.destination(topic.name).address;
  const { earliest } = await archiveWindow(ops, topicArn, topic.name);
  const queue = await scratchQueue(ops, topicArn);
  let subscriptionArn: string | undefined;
  try {
    ({ SubscriptionArn: subscriptionArn } = await ops.clients.sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn, ReturnSubscriptionArn: true }),
    ));
    const policy = JSON.stringify(replayPolicy(earliest, new Date()));
    await ops.clients.sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: subscriptionArn,
        AttributeName: REPLAY_POLICY_ATTRIBUTE,
        AttributeValue: policy,
      }),
    );
    const status = await followReplay(ops, subscriptionArn!, policy, options);
    if (options.signal?.aborted)
      throw new ReplayRefusedError(`Reading the archive of topic '${topic.name}' was stopped before its replay ended.`);
    if (status !== REPLAY_STATUSES.completed)
      throw new ReplayRefusedError(`Reading the archive of topic '${topic.name}' failed: its replay ended ${status}.`);
    return await drain(ops, queue.url, options.max);
  } finally {
    if (subscriptionArn) await ops.clients.sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
    await ops.clients.sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }));
  }
}
