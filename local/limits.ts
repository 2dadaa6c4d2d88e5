export { TEMPLATE_DEFAULTS } from '../assembly/index.ts';

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
   * Execution environments alive at once across the cloud's functions (a soft limit, see
   * LambdaHostOptions.maxEnvironments): ~35 MB each, so 200 functions run once no longer keep 200
   * isolates (6 GB); the reference stack's 7 functions stay under it.
   */
  lambdaMaxEnvironments: Math.max(16, 8 * availableParallelism()),
  /**
   * Young-generation limit of each environment's V8 isolate (MemorySize limits the old generation):
   * V8's default lets every isolate grow a young generation of up to 48 MB.
   */
  workerYoungGenerationMb: 4,
} as const;
