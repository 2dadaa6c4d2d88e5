/**
 * What AWS assumes when a template leaves a property out, applied by the local cloud. AWS limits
 * themselves (batch sizes, concurrency ranges, entries per call) are topology's `LIMITS`, shared
 * with the validator and the stack.
 */
export const TEMPLATE_DEFAULTS = {
  /** ESM BatchSize for SQS. */
  esmBatchSize: 10,
  /** ProvisionedPollerConfig bounds for SQS when one is not given. */
  esmMinimumPollers: 2,
  esmMaximumPollers: 200,
  /** Lambda Timeout and MemorySize. */
  lambdaTimeoutSeconds: 3,
  lambdaMemoryMb: 128,
} as const;
