import type { SQSRecord } from 'aws-lambda';
import {
  idempotencyKeyPrefix,
  keySourcesOf,
  payloadFingerprint,
  type IdempotencyKeySource,
  REQUEST_REPLY,
  sha256Hex as sha256,
} from '../../../contracts/runtime.ts';
import type { ConsumerConfig } from '../config.ts';
import type { UnwrappedMessage } from '../decode.ts';

export { payloadFingerprint };

/** DynamoDB partition keys hold at most 2048 bytes. */
const KEY_MAX_BYTES = 2048;

/**
 * The idempotency key of a record: the first configured source that is present, tagged with the
 * source, scoped by consumer (two consumers of one message never share a record) and by event type
 * (one business key may name a capture and its refund). A key too long for DynamoDB is hashed after
 * the consumer prefix, which IAM scopes each consumer's records by.
 */
export function idempotencyKey(
  consumer: string,
  sources: readonly IdempotencyKeySource[],
  record: SQSRecord,
  message: UnwrappedMessage,
  payload: unknown,
): string {
  const prefix = idempotencyKeyPrefix(consumer);
  let found: string | undefined;
  for (const source of sources) {
    found = keyFrom(source, record, message, payload);
    if (found) break;
  }
  const scoped = `${message.eventType}#${found ?? `msg:${record.messageId}`}`;
  return Buffer.byteLength(prefix + scoped, 'utf8') <= KEY_MAX_BYTES
    ? prefix + scoped
    : `${prefix}sha256:${sha256(scoped)}`;
}

function fieldValue(payload: unknown, field: string): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const value = (payload as Record<string, unknown>)[field];
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function keyFrom(
  source: IdempotencyKeySource,
  record: SQSRecord,
  message: UnwrappedMessage,
  payload: unknown,
): string | undefined {
  if (typeof source === 'object') {
    if ('field' in source) {
      const value = fieldValue(payload, source.field);
      return value === undefined ? undefined : `field:${source.field}:${value}`;
    }
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

/** Who asked, for request/reply: a stored result is only ever sent back to the reply queue that asked. */
export function requesterFingerprint(replyTo: string | undefined): string | undefined {
  return replyTo === undefined ? undefined : sha256(replyTo);
}

/** Producer keys longer than this are recorded as their SHA-256 (the record also holds the payload's). */
const PRODUCER_KEY_MAX_CHARS = 256;

/** The producer's key as recorded: itself, or `sha256:<hex>` when long. */
export function recordedProducerKey(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  return value.length <= PRODUCER_KEY_MAX_CHARS ? value : `sha256:${sha256(value)}`;
}

/** Which message a key stands for: its payload, the producer's key, and (request/reply) who asked. */
export interface MessageIdentity {
  readonly key: string;
  readonly fingerprint: string;
  /** The producer's key attribute, as recorded (absent when the producer sent none). */
  readonly producerKey?: string;
  readonly requester?: string;
  /** When the message was published (epoch ms), recorded for the replay tools. */
  readonly publishedAtMs?: number;
}

/**
 * Which message a record is: its key (the event type's own sources, else the endpoint's), its payload's
 * fingerprint, the producer's key, who asked (request/reply) and when it was published.
 */
export function messageIdentity(
  config: ConsumerConfig,
  record: SQSRecord,
  message: UnwrappedMessage,
  payload: unknown,
): MessageIdentity {
  const sources = keySourcesOf(
    { idempotencyKey: config.keySources, idempotencyKeyByEvent: config.keySourcesByEvent },
    message.eventType,
  );
  const producerKey = recordedProducerKey(message.attributes[config.producerKeyAttribute]);
  return {
    key: idempotencyKey(config.name, sources, record, message, payload),
    fingerprint: payloadFingerprint(payload),
    ...(producerKey === undefined ? {} : { producerKey }),
    requester: config.requestReply
      ? requesterFingerprint(message.attributes[REQUEST_REPLY.replyToAttribute])
      : undefined,
    publishedAtMs: message.publishedAtMs,
  };
}
