import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { DEAD_LETTER_ATTRIBUTES } from '../../topology/consumer-env.ts';
import { loadSqs } from './clients.ts';
import type { FailureKind } from './errors.ts';
import { RUNTIME_DEFAULTS, SQS_LIMITS } from './limits.ts';

export interface DeadLetterReason {
  readonly kind: FailureKind;
  readonly message: string;
  readonly receiveCount: number;
  readonly consumer: string;
}

function text(value: string): MessageAttributeValue {
  return { DataType: 'String', StringValue: value };
}

/** The record's own attributes in SendMessage casing (raw delivery / work queues carry them on the record). */
function originalAttributes(record: SQSRecord): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, attribute] of Object.entries(record.messageAttributes ?? {})) {
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
 * Sends the record, body unchanged, to the DLQ with the reason attached. The reason attributes
 * win when the SQS limit of 10 attributes forces a choice. FIFO DLQs keep the original group and
 * deduplicate on the original message id, so a repeated send is stored once.
 */
export async function sendToDeadLetterQueue(
  client: SQSClient,
  queueUrl: string,
  record: SQSRecord,
  reason: DeadLetterReason,
): Promise<void> {
  const reasonAttributes: Record<string, MessageAttributeValue> = {
    [DEAD_LETTER_ATTRIBUTES.errorKind]: text(reason.kind),
    [DEAD_LETTER_ATTRIBUTES.errorMessage]: text(reason.message.slice(0, RUNTIME_DEFAULTS.reasonMaxChars) || '(none)'),
    [DEAD_LETTER_ATTRIBUTES.receiveCount]: { DataType: 'Number', StringValue: String(reason.receiveCount) },
    [DEAD_LETTER_ATTRIBUTES.consumer]: text(reason.consumer),
    [DEAD_LETTER_ATTRIBUTES.originalMessageId]: text(record.messageId),
  };
  const room = SQS_LIMITS.messageAttributesMax - Object.keys(reasonAttributes).length;
  const kept = Object.entries(originalAttributes(record)).slice(0, room);
  const groupId = record.attributes?.MessageGroupId;
  const { SendMessageCommand } = await loadSqs();
  await client.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: record.body === '' ? '(empty body)' : record.body,
      MessageAttributes: { ...Object.fromEntries(kept), ...reasonAttributes },
      ...(groupId ? { MessageGroupId: groupId, MessageDeduplicationId: record.messageId } : {}),
    }),
  );
}
