import type { IdempotencyKeySource, QueueEndpointSpec } from './types.ts';

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

/** The key sources one event type of an endpoint is keyed by: its own (`byEvent`), else the endpoint's. */
export function keySourcesOf(
  endpoint: {
    readonly idempotencyKey: readonly IdempotencyKeySource[];
    readonly idempotencyKeyByEvent?: Readonly<Record<string, readonly IdempotencyKeySource[]>>;
  },
  eventType: string,
): readonly IdempotencyKeySource[] {
  const own = endpoint.idempotencyKeyByEvent;
  return own !== undefined && Object.hasOwn(own, eventType) ? own[eventType]! : endpoint.idempotencyKey;
}

/** Every source list an endpoint's spec declares (the endpoint's and each event type's), for validation. */
export function declaredKeySourceLists(spec: QueueEndpointSpec): (readonly IdempotencyKeySource[])[] {
  return [...(spec.idempotencyKey ? [spec.idempotencyKey] : []), ...Object.values(spec.idempotencyKeyByEvent ?? {})];
}
