import { LIMITS } from '../topology/internal.ts';
import { type Message, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { HOLD_SECONDS } from './dlq-peek.ts';
import { type DeadLetterSource, deadLetterQueues } from './dlq-source.ts';
import type { OperatorContext } from './operator.ts';
import { deleteMessages, type MessageFailure, queueAttributes, releaseMessages } from './sqs-util.ts';

export interface PurgeResult {
  /** Messages deleted from the DLQ. */
  readonly purged: number;
  /** Messages that reached the DLQ after the purge began: left there, to be looked at. */
  readonly arrivedDuringPurge: number;
  /** Messages whose delete failed: they stay in the DLQ. */
  readonly failed: readonly MessageFailure[];
}

/**
 * Deletes a subscriber's dead-lettered messages (of its queue's DLQ, or with `source: 'subscription'`
 * its SNS subscription's), counting each one: receive with a hold, delete.
 * Unlike PurgeQueue it gives an exact count, works more than once a minute and leaves alone what
 * arrived after it began: it deletes at most the messages the DLQ held when it began (a message SQS
 * redrives keeps its first SentTimestamp, so the timestamp alone cannot tell), and a receive waits a
 * second before it counts as empty (a short poll may answer empty while messages remain). Messages another tool holds (a peek, a replay) are not seen and stay.
 */
export async function purgeDeadLetters(
  ctx: OperatorContext,
  subscriber: string,
  opts: { readonly signal?: AbortSignal; readonly source?: DeadLetterSource } = {},
): Promise<PurgeResult> {
  const { deadLetterQueueUrl } = deadLetterQueues(ctx, subscriber, opts.source ?? 'queue', 'purge');
  const sqs = ctx.clients.sqs;
  const startedAt = Date.now();
  const { ApproximateNumberOfMessages = '0' } = await queueAttributes(sqs, deadLetterQueueUrl, [
    'ApproximateNumberOfMessages',
  ]);
  const held = Number(ApproximateNumberOfMessages);
  const arrived: Message[] = [];
  const failed: MessageFailure[] = [];
  let purged = 0;
  try {
    while (!opts.signal?.aborted && purged + failed.length < held) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: deadLetterQueueUrl,
          MaxNumberOfMessages: LIMITS.batchEntriesMax,
          VisibilityTimeout: HOLD_SECONDS,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['SentTimestamp'],
        }),
      );
      if (Messages.length === 0) break;
      const room = held - purged - failed.length;
      const old = Messages.filter((m) => Number(m.Attributes?.SentTimestamp ?? 0) < startedAt).slice(0, room);
      arrived.push(...Messages.filter((m) => !old.includes(m)));
      const notDeleted = old.length > 0 ? await deleteMessages(sqs, deadLetterQueueUrl, old) : [];
      failed.push(...notDeleted);
      purged += old.length - notDeleted.length;
    }
  } finally {
    await releaseMessages(sqs, deadLetterQueueUrl, arrived);
  }
  return { purged, arrivedDuringPurge: arrived.length, failed };
}
