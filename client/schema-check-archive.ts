import { randomUUID } from 'node:crypto';
import {
  GetSubscriptionAttributesCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  type Message,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { LIMITS } from '../topology/internal.ts';
import { REPLAY_POLICY_ATTRIBUTE, REPLAY_STATUS_ATTRIBUTE, REPLAY_STATUSES, replayPolicy } from '../contracts/index.ts';
import type { OperatorContext } from './operator.ts';
import { archiveWindow, ReplayRefusedError } from './replay.ts';
import { sleep } from './retry.ts';
import { queueAttributes } from './sqs-util.ts';

/** A queue SNS may deliver the topic's messages to (a FIFO topic's subscribers are FIFO queues). */
async function scratchQueue(ops: OperatorContext, topicArn: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await ops.clients.sqs.send(
    new CreateQueueCommand({
      QueueName: `fanout-schema-check-${randomUUID().slice(0, 8)}.fifo`,
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

async function drain(ops: OperatorContext, url: string): Promise<Message[]> {
  const read: Message[] = [];
  for (;;) {
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
    await ops.clients.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
}

/**
 * Every message a FIFO topic's archive holds: SNS lets an archive be replayed, not read, so the
 * archive is replayed into a scratch queue subscribed for the purpose, read, and both are deleted.
 */
export async function readArchive(ops: OperatorContext, topicName: string, pollIntervalMs = 250): Promise<Message[]> {
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
    await ops.clients.sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: subscriptionArn,
        AttributeName: REPLAY_POLICY_ATTRIBUTE,
        AttributeValue: JSON.stringify(replayPolicy(earliest, new Date())),
      }),
    );
    for (;;) {
      const { Attributes = {} } = await ops.clients.sns.send(
        new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }),
      );
      const status = Attributes[REPLAY_STATUS_ATTRIBUTE];
      if (status === REPLAY_STATUSES.failed)
        throw new ReplayRefusedError(
          `Reading the archive of topic '${topic.name}' failed: its replay ended ${status}.`,
        );
      if (status === REPLAY_STATUSES.completed) break;
      await sleep(pollIntervalMs);
    }
    return await drain(ops, queue.url);
  } finally {
    if (subscriptionArn) await ops.clients.sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
    await ops.clients.sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }));
  }
}
