import type { DeliveryGuarantee, SchemaCompatibility } from './types.ts';

/** What an endpoint gets when the topology leaves a setting out (applied by resolve.ts, and by the runtime's config helper). */
export const DEFAULTS = {
  delivery: 'at-least-once' as DeliveryGuarantee,
  maxReceiveCount: 5,
  timeoutSeconds: 30,
  memoryMb: 256,
  batchSize: 10,
  batchingWindowSeconds: 0,
  deliveryDelaySeconds: 0,
  /** A record the runtime dead-letters alarms at once, as a message in the DLQ does. */
  maxDeadLetteredRecords: 1,
  /** Messages outlive deployments: a new schema must accept what the recorded one accepted. */
  schemaCompatibility: 'backward' as SchemaCompatibility,
} as const;

/** Every schema compatibility mode an event type may declare. */
export const SCHEMA_COMPATIBILITY_MODES = ['backward', 'forward', 'full', 'none'] as const;

/**
 * Records of one batch a consumer runs at once unless the topology says otherwise: the AWS SDK's
 * default connection pool (50 sockets); more parallelism would only queue inside the SDK.
 */
export const DEFAULT_PARALLELISM = 50;

/** Message attribute naming the event type (what filter policies and the runtime dispatch on). */
export const EVENT_TYPE_ATTRIBUTE = 'eventType';

/**
 * Message attribute carrying the producer's idempotency key. The publisher always sets it: to the
 * caller's `idempotencyKey`, else to a key minted once per `publish()` call (so its own retries
 * carry the same key). Topics and work queues use it unless they declare `producerKeyAttribute`.
 */
export const DEFAULT_PRODUCER_KEY_ATTRIBUTE = 'idempotencyKey';
