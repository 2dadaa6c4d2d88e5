import { PLATFORM_ERRORS, type InvocationError } from './function-definition.ts';

/** Fault injection for soak tests: each invocation independently fails or crashes with these probabilities. */
export interface ChaosOptions {
  /**
   * Share of invocations refused before the handler runs, as Lambda throttles them
   * (`TooManyRequestsException`; the batch returns to the queue). Read on every invocation.
   * @default 0
   */
  readonly failureRate?: number;
  /** Share of invocations whose environment is killed mid-invocation (a runtime crash). @default 0 */
  readonly crashRate?: number;
  /** Latest point of the crash into the invocation, ms. @default 50 */
  readonly crashWithinMs?: number;
}

/** What the injector decided for one invocation. */
export type Fault =
  | { readonly kind: 'refuse'; readonly error: InvocationError }
  | { readonly kind: 'crash'; readonly afterMs: number };

interface FaultBand {
  readonly rate: (options: ChaosOptions) => number;
  readonly fault: (options: ChaosOptions, random: () => number) => Fault;
}

const DEFAULT_CRASH_WITHIN_MS = 50;

/** The fault bands, in order: one roll per invocation falls into at most one of them. */
const FAULT_BANDS: readonly FaultBand[] = [
  {
    rate: (o) => o.failureRate ?? 0,
    fault: () => ({
      kind: 'refuse',
      error: {
        errorType: PLATFORM_ERRORS.throttled,
        errorMessage: 'Rate Exceeded: transient failure injected by the local cloud (chaos failureRate)',
      },
    }),
  },
  {
    rate: (o) => o.crashRate ?? 0,
    fault: (o, random) => ({ kind: 'crash', afterMs: random() * (o.crashWithinMs ?? DEFAULT_CRASH_WITHIN_MS) }),
  },
];

/**
 * Decides the fault of each invocation from the options' rates (read on every call, so a test may
 * change them while the cloud runs). The Lambda host holds one only when chaos is configured.
 */
export class ChaosInjector {
  constructor(
    private readonly options: ChaosOptions,
    private readonly random: () => number = Math.random,
  ) {}

  next(): Fault | undefined {
    const roll = this.random();
    let upper = 0;
    for (const band of FAULT_BANDS) {
      upper += band.rate(this.options);
      if (roll < upper) return band.fault(this.options, this.random);
    }
    return undefined;
  }
}
