import { GetQueueUrlCommand, SendMessageCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { REPLAY_STATUSES, REPLAYED_FIELD } from '../../contracts/index.ts';
import { passesFilterPolicy } from '../event-patterns/sns-filter-policy.ts';
import type { ArchivedMessage, Replay } from './archive-store.ts';
import type { SnsArchiveContext } from './context.ts';

/** What a replay needs to know about the subscription (from GetSubscriptionAttributes). */
export interface ReplayTarget {
  readonly subscriptionArn: string;
  readonly topicArn: string;
  /** The subscribed queue's ARN. */
  readonly endpoint: string;
  readonly raw: boolean;
  readonly filterPolicy: string | undefined;
  readonly filterPolicyScope: string | undefined;
}

let replays = 0;

/** The SNS envelope of a replayed message: the original MessageId and Timestamp, plus `"Replayed": true`. */
function envelope(message: ArchivedMessage, target: ReplayTarget): string {
  const attributes = Object.entries(message.attributes);
  return JSON.stringify({
    Type: 'Notification',
    MessageId: message.messageId,
    TopicArn: target.topicArn,
    ...(message.subject ? { Subject: message.subject } : {}),
    Message: message.message,
    Timestamp: new Date(message.publishedAt).toISOString(),
    SignatureVersion: '1',
    Signature: 'EXAMPLE',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
    UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${target.subscriptionArn}`,
    ...(attributes.length > 0
      ? {
          MessageAttributes: Object.fromEntries(
            attributes.map(([k, a]) => [k, { Type: a.DataType, Value: a.StringValue ?? '' }]),
          ),
        }
      : {}),
    [REPLAYED_FIELD]: true,
  });
}

const sqsAttributes = (message: ArchivedMessage): Record<string, MessageAttributeValue> =>
  Object.fromEntries(
    Object.entries(message.attributes).map(([k, a]) => [k, { DataType: a.DataType, StringValue: a.StringValue ?? '' }]),
  );

/**
 * Delivers the archived messages of the window to the subscription's queue one by one, in publish
 * order (so each message group keeps its order), through the subscription's filter policy, as SNS
 * replays: same MessageId and Timestamp, marked replayed. Updates the replay's status and count.
 */
export async function runReplay(
  ctx: SnsArchiveContext,
  replay: Replay,
  target: ReplayTarget,
  messages: readonly ArchivedMessage[],
): Promise<void> {
  const run = ++replays;
  try {
    replay.status = REPLAY_STATUSES.running;
    const { QueueUrl } = await ctx.sqs.send(new GetQueueUrlCommand({ QueueName: target.endpoint.split(':').pop()! }));
    for (const message of messages) {
      if (!passesFilterPolicy(target.filterPolicy, target.filterPolicyScope, message.message, message.attributes))
        continue;
      await ctx.sqs.send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: target.raw ? message.message : envelope(message, target),
          ...(target.raw && Object.keys(message.attributes).length > 0
            ? { MessageAttributes: sqsAttributes(message) }
            : {}),
          MessageGroupId: message.groupId,
          // The original id may still be inside the queue's 5-minute deduplication window.
          MessageDeduplicationId: `replay-${run}-${message.messageId}`,
        }),
      );
      replay.delivered++;
    }
    replay.status = REPLAY_STATUSES.completed;
  } catch (error) {
    replay.status = REPLAY_STATUSES.failed;
    replay.failure = (error as Error).message;
  }
}
