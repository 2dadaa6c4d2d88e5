import { sha256Hex as sha256 } from './sha256.ts';

/**
 * What makes one *logical* message identifiable across every copy of it (publisher retries, SNS and
 * SQS redeliveries, DLQ round trips, archive replays). One definition, used by the publisher
 * (client/), the stack (lib/) and the consumer runtime (lambdas/runtime).
 */

/** JSON with object keys sorted: equal for equal payloads whatever the producer's key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What two copies of one message share and two messages under one key do not: the payload. The
 * consumer runtime stores it with the idempotency record to tell a copy from a reused key.
 */
export function payloadFingerprint(payload: unknown): string {
  return sha256(canonicalJson(payload));
}

/**
 * The FIFO deduplication id of a message: derived from its event type, idempotency key and payload,
 * never from the body alone, so two events with identical bodies (a capture and its refund) are never
 * merged, every retry of one message is, and a key reused with another payload still reaches the
 * consumer, which reports it (`idempotency-key-reused`) instead of SNS dropping it silently.
 * 64 hex characters (SQS/SNS allow 128).
 */
export function fifoDeduplicationId(eventType: string, idempotencyKey: string, payload: unknown): string {
  return sha256(`${eventType}\n${idempotencyKey}\n${payloadFingerprint(payload)}`);
}

/**
 * Every idempotency record of a consumer starts with this prefix (also when the rest is hashed), so
 * IAM can confine each consumer to its own records (`dynamodb:LeadingKeys`).
 */
export function idempotencyKeyPrefix(consumer: string): string {
  return `${consumer}#`;
}
