import { createHash } from 'node:crypto';

/**
 * What makes one *logical* message identifiable across every copy of it (publisher retries, SNS and
 * SQS redeliveries, DLQ round trips, archive replays). One definition, used by the publisher
 * (client/), the stack (lib/) and the consumer runtime (lambdas/runtime).
 */

/**
 * Message attribute carrying the producer's idempotency key. The publisher always sets it: to the
 * caller's `idempotencyKey`, else to a key minted once per `publish()` call (so its own retries
 * carry the same key). Topics and work queues use it unless they declare `producerKeyAttribute`.
 */
export const DEFAULT_PRODUCER_KEY_ATTRIBUTE = 'idempotencyKey';

/**
 * The FIFO deduplication id of a message: derived from its event type and idempotency key, never
 * from the body, so two events with identical bodies (a capture and its refund) are never merged,
 * and every retry of one message is. 64 hex characters (SQS/SNS allow 128).
 */
export function fifoDeduplicationId(eventType: string, idempotencyKey: string): string {
  return createHash('sha256').update(`${eventType}\n${idempotencyKey}`, 'utf8').digest('hex');
}

/**
 * Every idempotency record of a consumer starts with this prefix (also when the rest is hashed), so
 * IAM can confine each consumer to its own records (`dynamodb:LeadingKeys`).
 */
export function idempotencyKeyPrefix(consumer: string): string {
  return `${consumer}#`;
}
