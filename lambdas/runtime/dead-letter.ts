import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import {
  DEAD_LETTER_ATTRIBUTE,
  encodeDeadLetterReasonWithin,
  isDeadLetterAttribute,
  MESSAGE_ATTRIBUTES_MAX,
  SQS_LIMITS,
  type DeadLetterReason,
} from '../../contracts/runtime.ts';
import { loadSqs } from './clients.ts';
import { ConsumerRuntimeError, type FailureKind } from './errors.ts';

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

/** The reason attribute's name and data type count against the message size too. */
const REASON_ATTRIBUTE_BYTES = Buffer.byteLength(DEAD_LETTER_ATTRIBUTE) + Buffer.byteLength('String');

/** A message's size as SQS counts it: the body plus each attribute's name, data type and value. */
function messageBytes(body: string, attributes: Readonly<Record<string, MessageAttributeValue>>): number {
  let bytes = Buffer.byteLength(body, 'utf8');
  for (const [name, a] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(a.DataType ?? '');
    // Binary values counted as sent (base64): never under what SQS counts.
    bytes +=
      a.StringValue !== undefined
        ? Buffer.byteLength(a.StringValue, 'utf8')
        : Math.ceil((a.BinaryValue?.length ?? 0) / 3) * 4;
  }
  return bytes;
}

/** The record fills SQS's size limit so nearly that not even a reason without its text fits beside it. */
export class DeadLetterTooLargeError extends ConsumerRuntimeError {
  override readonly name = 'DeadLetterTooLargeError';
  constructor(messageId: string, room: number) {
    super(
      `message ${messageId} leaves ${Math.max(0, room)} bytes under the ${SQS_LIMITS.messageBytesMax}-byte limit, too few for ` +
        `its dead-letter reason: it stays for SQS redrive after maxReceiveCount (the reason is in its outcome log line)`,
    );
  }
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
  const body = record.body === '' ? '(empty body)' : record.body;
  const attached = Object.keys(attributes).length < MESSAGE_ATTRIBUTES_MAX;
  if (attached) {
    // The copy keeps its body and attributes whole (a replay needs them); the reason gets the room
    // left under SQS's size limit, its text cut with a pointer to the outcome log line if need be.
    const room = SQS_LIMITS.messageBytesMax - messageBytes(body, attributes) - REASON_ATTRIBUTE_BYTES;
    const value = encodeDeadLetterReasonWithin(
      { ...reason, originalMessageId: record.messageId, deadLetteredAt: new Date().toISOString() },
      room,
    );
    if (value === undefined) throw new DeadLetterTooLargeError(record.messageId, room);
    attributes[DEAD_LETTER_ATTRIBUTE] = { DataType: 'String', StringValue: value };
  }
  const groupId = record.attributes?.MessageGroupId;
  const { SendMessageCommand } = await loadSqs();
  await client.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body,
      MessageAttributes: attributes,
      ...(groupId ? { MessageGroupId: groupId, MessageDeduplicationId: record.messageId } : {}),
    }),
  );
  return attached;
}
