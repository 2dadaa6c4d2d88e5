import { LIMITS } from '../topology/internal.ts';
import { decodeDeadLetterReason } from '../contracts/index.ts';
import { ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { type DeadLetterSource, deadLetterQueues } from './dlq-source.ts';
import type { OperatorContext } from './operator.ts';
import { releaseMessages, viewMessage } from './sqs-util.ts';

/** Seconds a peeked or replayed message is hidden while the tool holds it; it reappears by itself after a crash. */
export const HOLD_SECONDS = 60;

export interface DeadLetter {
  readonly messageId: string;
  readonly sentAt: string | undefined;
  /** Receives so far (including the peek's own). */
  readonly receiveCount: number;
  readonly groupId: string | undefined;
  readonly eventType: string | undefined;
  /** Queue the message was dead-lettered from (SQS sets it on redrive). */
  readonly sourceQueueArn: string | undefined;
  /** Why the consumer runtime dead-lettered it (its reason attribute), when it did. */
  readonly reason:
    | { readonly kind: string; readonly message: string; readonly consumer: string | undefined }
    | undefined;
  /** Message attributes (SNS envelope attributes included). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly payload: string;
}

export function toDeadLetter(m: Message): DeadLetter {
  const view = viewMessage(m);
  const sent = m.Attributes?.SentTimestamp;
  const reason = decodeDeadLetterReason(view.attributes);
  return {
    messageId: m.MessageId!,
    sentAt: sent ? new Date(Number(sent)).toISOString() : undefined,
    receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
    groupId: m.Attributes?.MessageGroupId,
    eventType: view.eventType,
    sourceQueueArn: m.Attributes?.DeadLetterQueueSourceArn,
    reason: reason && { kind: reason.kind, message: reason.message, consumer: reason.consumer || undefined },
    attributes: view.attributes,
    payload: view.payload,
  };
}

/** Receives up to `max` messages from a queue, holding each so none is seen twice; stops when no new ones come. */
export async function holdMessages(
  sqs: SQSClient,
  queueUrl: string,
  max: number,
  seen = new Set<string>(),
): Promise<Message[]> {
  const held: Message[] = [];
  while (held.length < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(LIMITS.batchEntriesMax, max - held.length),
        VisibilityTimeout: HOLD_SECONDS,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const fresh = Messages.filter((m) => !seen.has(m.MessageId!));
    if (fresh.length === 0) break;
    for (const m of fresh) seen.add(m.MessageId!);
    held.push(...fresh);
  }
  return held;
}

/**
 * Shows up to `max` dead-lettered messages of a subscriber without removing them: they are received with
 * a hold and made visible again at once. A FIFO DLQ shows each group's messages only up to the first
 * one held (SQS keeps a group's later messages back while an earlier one is in flight).
 */
export async function peekDeadLetters(
  ctx: OperatorContext,
  subscriber: string,
  max = 10,
  /** The queue's DLQ, or the SNS subscription's. @default 'queue' */
  source: DeadLetterSource = 'queue',
): Promise<DeadLetter[]> {
  const { deadLetterQueueUrl } = deadLetterQueues(ctx, subscriber, source, 'peek');
  const held = await holdMessages(ctx.clients.sqs, deadLetterQueueUrl, max);
  try {
    return held.map(toDeadLetter);
  } finally {
    await releaseMessages(ctx.clients.sqs, deadLetterQueueUrl, held);
  }
}
