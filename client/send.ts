import { PublishBatchCommand, type PublishBatchRequestEntry, type SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { EntryOutcome, SendBatch } from './batcher.ts';
import type { MessageAttributes } from './attributes.ts';
import type { Destination } from './target.ts';

/** A message ready to send, whatever the destination kind. */
export interface OutgoingMessage {
  readonly body: string;
  readonly attributes: MessageAttributes;
  /** FIFO message group (ordering). */
  readonly groupId: string | undefined;
  /** Standard destinations: the tenant, sent as MessageGroupId (SQS fair queues). @default - none */
  readonly tenantGroupId?: string | undefined;
  readonly deduplicationId: string | undefined;
  readonly delaySeconds: number | undefined;
}

interface BatchResult {
  Successful?: { Id?: string; MessageId?: string }[];
  Failed?: { Id?: string; Code?: string; Message?: string; SenderFault?: boolean }[];
}

function outcomes(count: number, result: BatchResult): EntryOutcome[] {
  const byId = new Map<string, EntryOutcome>();
  for (const s of result.Successful ?? []) byId.set(s.Id!, { ok: true, messageId: s.MessageId! });
  for (const f of result.Failed ?? []) {
    byId.set(f.Id!, {
      ok: false,
      code: f.Code ?? 'Unknown',
      message: f.Message ?? 'no message',
      retryable: f.SenderFault === false,
    });
  }
  return Array.from(
    { length: count },
    (_, i) =>
      byId.get(String(i)) ?? {
        ok: false,
        code: 'MissingResult',
        message: 'the batch response did not mention this entry',
        retryable: true,
      },
  );
}

function snsEntry(id: number, m: OutgoingMessage): PublishBatchRequestEntry {
  return {
    Id: String(id),
    Message: m.body,
    MessageAttributes: m.attributes,
    ...messageGroup(m),
    ...(m.deduplicationId !== undefined ? { MessageDeduplicationId: m.deduplicationId } : {}),
  };
}

function messageGroup(m: OutgoingMessage): { MessageGroupId?: string } {
  const group = m.groupId ?? m.tenantGroupId;
  return group === undefined ? {} : { MessageGroupId: group };
}

function sqsEntry(id: number, m: OutgoingMessage): SendMessageBatchRequestEntry {
  return {
    Id: String(id),
    MessageBody: m.body,
    MessageAttributes: m.attributes,
    ...messageGroup(m),
    ...(m.deduplicationId !== undefined ? { MessageDeduplicationId: m.deduplicationId } : {}),
    ...(m.delaySeconds !== undefined ? { DelaySeconds: m.delaySeconds } : {}),
  };
}

/** PublishBatch (topics) or SendMessageBatch (queues) for one destination. */
export function batchSender(
  destination: Destination,
  clients: { readonly sns: SNSClient; readonly sqs: SQSClient },
): SendBatch<OutgoingMessage> {
  if (destination.kind === 'topic') {
    return async (messages) => {
      const result = await clients.sns.send(
        new PublishBatchCommand({
          TopicArn: destination.address,
          PublishBatchRequestEntries: messages.map((m, i) => snsEntry(i, m)),
        }),
      );
      return outcomes(messages.length, result);
    };
  }
  return async (messages) => {
    const result = await clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: destination.address,
        Entries: messages.map((m, i) => sqsEntry(i, m)),
      }),
    );
    return outcomes(messages.length, result);
  };
}
