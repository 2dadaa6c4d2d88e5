/** Defaults of the publisher's batching, retry and backpressure behaviour. */
export const PUBLISHER_DEFAULTS = {
  lingerMs: 5,
  maxInFlightBatches: 8,
  maxAttempts: 6,
  backoffBaseMs: 50,
  backoffMaxMs: 5_000,
  depthCheckIntervalMs: 1_000,
  requestTimeoutMs: 30_000,
} as const;
