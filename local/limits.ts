/** AWS limits and defaults the local cloud applies, in one place. */
export const AWS_LIMITS = {
  /** ReceiveMessage returns at most this many messages per call. */
  sqsMaxReceiveMessages: 10,
  /** DeleteMessageBatch / SendMessageBatch entries per call. */
  sqsMaxBatchEntries: 10,
  /** Longest SQS long-poll wait. */
  sqsMaxWaitTimeSeconds: 20,
  /** Largest ESM BatchSize for FIFO queues. */
  esmFifoMaxBatchSize: 10,
  /** Largest ESM BatchSize for standard queues. */
  esmStandardMaxBatchSize: 10_000,
  /** Standard queues: a BatchSize above this needs MaximumBatchingWindowInSeconds ≥ 1. */
  esmBatchSizeNeedingWindow: 10,
  /** ESM default BatchSize for SQS. */
  esmDefaultBatchSize: 10,
  /** ScalingConfig.MaximumConcurrency range. */
  esmMinMaximumConcurrency: 2,
  esmMaxMaximumConcurrency: 1000,
  /** ProvisionedPollerConfig defaults for SQS when a bound is not given. */
  esmMinimumPollersDefault: 2,
  esmMaximumPollersDefault: 200,
  /** Lambda defaults when the template leaves them out. */
  lambdaDefaultTimeoutSeconds: 3,
  lambdaDefaultMemoryMb: 128,
  /** SQS defaults when the template leaves them out. */
  sqsDefaultVisibilityTimeoutSeconds: 30,
} as const;

import { availableParallelism } from 'node:os';

/** Local-only choices (not AWS limits). */
export const LOCAL_DEFAULTS = {
  region: 'us-east-1',
  /** fauxqs builds every ARN and queue URL with this account. */
  accountId: '000000000000',
  /**
   * Concurrent batches per event source mapping without ScalingConfig.MaximumConcurrency
   * (AWS starts with 5 pollers and scales up; locally it stays at 5).
   */
  esmDefaultConcurrency: 5,
  /** Long-poll wait of the ESM pollers; stop() aborts a wait in progress. */
  esmWaitTimeSeconds: 20,
  /** Gauge metrics (queue depth, age) are sampled this often in scaled (virtual) seconds. */
  metricSampleVirtualSeconds: 10,
  /**
   * A function's execution environment idle this long (real time) is ended, as Lambda reaps idle
   * environments (after minutes there); the next invocation is a cold start.
   */
  lambdaIdleEnvironmentMs: 60_000,
  /**
   * Execution environments of one function alive at once: one per core, at least 2. More isolates
   * than cores only add memory (~35 MB each under load) and contention: on 2 cores, 5 per function
   * (the ESM default) cost 1.6× the Node memory and 1.8× the CPU per delivery of 2.
   */
  lambdaMaxEnvironmentsPerFunction: Math.max(2, availableParallelism()),
  /**
   * Young-generation limit of each environment's V8 isolate (MemorySize limits the old generation):
   * V8's default lets every isolate grow a young generation of up to 48 MB.
   */
  workerYoungGenerationMb: 4,
} as const;
