import { createHash } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import type { IdempotencyKeySource } from '../../../topology/types.ts';
import type { UnwrappedMessage } from '../decode.ts';

/**
 * The idempotency key of a record: the first configured source that is present, tagged with the
 * source and scoped by consumer so two consumers of one message never share a record.
 */
export function idempotencyKey(
  consumer: string,
  sources: readonly IdempotencyKeySource[],
  record: SQSRecord,
  message: UnwrappedMessage,
): string {
  for (const source of sources) {
    const found = keyFrom(source, record, message);
    if (found) return bounded(`${consumer}#${found}`);
  }
  return `${consumer}#msg:${record.messageId}`;
}

/** DynamoDB partition keys hold at most 2048 bytes: a longer producer key is stored as its SHA-256. */
const KEY_MAX_BYTES = 2048;

function bounded(key: string): string {
  if (Buffer.byteLength(key, 'utf8') <= KEY_MAX_BYTES) return key;
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

function keyFrom(source: IdempotencyKeySource, record: SQSRecord, message: UnwrappedMessage): string | undefined {
  if (typeof source === 'object') {
    const value = message.attributes[source.attribute];
    return value ? `attr:${source.attribute}:${value}` : undefined;
  }
  switch (source) {
    case 'sns-message-id':
      return message.snsMessageId ? `sns:${message.snsMessageId}` : undefined;
    case 'fifo-dedup-id': {
      const dedup = record.attributes?.MessageDeduplicationId;
      return dedup ? `dedup:${dedup}` : undefined;
    }
    case 'message-id':
      return `msg:${record.messageId}`;
  }
}
