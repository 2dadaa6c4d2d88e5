import type { IdempotencyKeySource } from './types.ts';

/**
 * The idempotency key sources of an endpoint that names none, in priority order: the producer's key
 * attribute (the Fanout publisher always sets it), the SNS MessageId (topic subscriptions with the
 * envelope), the FIFO deduplication id (FIFO queues), the SQS messageId.
 */
export function defaultKeySources(
  producerKeyAttribute: string,
  viaSnsEnvelope: boolean,
  fifo: boolean,
): IdempotencyKeySource[] {
  const sources: IdempotencyKeySource[] = [{ attribute: producerKeyAttribute }];
  if (viaSnsEnvelope) sources.push('sns-message-id');
  if (fifo) sources.push('fifo-dedup-id');
  sources.push('message-id');
  return sources;
}
