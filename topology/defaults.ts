import type { DeliveryGuarantee } from './types.ts';

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
} as const;
