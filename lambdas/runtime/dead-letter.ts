import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import {
  DEAD_LETTER_ATTRIBUTE,
  encodeDeadLetterReason,
  isDeadLetterAttribute,
  MESSAGE_ATTRIBUTES_MAX,
  type DeadLetterReason,
} from '../../topology/runtime.ts';
import { loadSqs } from './clients.ts';
import type { FailureKind } from './errors.ts';

/** The contract's reason, less what the send itself fills in (the record's id, the time). */
export type DeadLetterCause = Omit<DeadLetterReason, 'originalMessageId' | 'deadLetteredAt'> & {
  readonly kind: FailureKind;
};

/**
 * The record's own attributes in SendMessage casing (raw delivery / work queues carry them on the
 * record), without the reason of an earlier dead-lettering.
 */
function originalAttributes(record: SQSRecord): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, attribute] of Object.entries(record.messageAttributes ?? {})) {
    if (isDeadLetterAttribute(name)) continue;
    const dataType = String(attribute?.dataType ?? '');
    if (dataType.startsWith('Binary') && typeof attribute.binaryValue === 'string') {
      attributes[name] = { DataType: dataType, BinaryValue: Buffer.from(attribute.binaryValue, 'base64') };
    } else if (typeof attribute?.stringValue === 'string' && dataType) {
      attributes[name] = { DataType: dataType, StringValue: attribute.stringValue };
    }
  }
  return attributes;
}

/**
 * Sends the record, body and every original attribute unchanged (what a replay needs: event type,
 * idempotency key, claim-check marker, correlation id), to the DLQ with the reason attached in one
 * attribute. The Fanout publisher leaves a slot for it; a message from another producer that already
 * carries SQS's 10 attributes keeps them all and goes without the attribute (the reason is still in
 * the record-outcome log line). FIFO DLQs keep the original group and deduplicate on the original
 * message id, so a repeated send is stored once.
 * @returns whether the reason attribute was attached
 */
export async function sendToDeadLetterQueue(
  client: SQSClient,
  queueUrl: string,
  record: SQSRecord,
  reason: DeadLetterCause,
): Promise<boolean> {
  const attributes = originalAttributes(record);
  const attached = Object.keys(attributes).length < MESSAGE_ATTRIBUTES_MAX;
  if (attached) {
    const value = encodeDeadLetterReason({
      ...reason,
      originalMessageId: record.messageId,
      deadLetteredAt: new Date().toISOString(),
    });
    attributes[DEAD_LETTER_ATTRIBUTE] = { DataType: 'String', StringValue: value };
  }
  const groupId = record.attributes?.MessageGroupId;
  const { SendMessageCommand } = await loadSqs();
  await client.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: record.body === '' ? '(empty body)' : record.body,
      MessageAttributes: attributes,
      ...(groupId ? { MessageGroupId: groupId, MessageDeduplicationId: record.messageId } : {}),
    }),
  );
  return attached;
}
