import { availableParallelism } from 'node:os';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Credentials, Endpoints } from '../emulators.ts';
import { recordEmbeddedMetrics } from '../alarms/embedded-metrics.ts';
import type { MetricStore } from '../alarms/metric-store.ts';
import { FunctionNotFoundError } from '../errors.ts';
import { LOCAL_DEFAULTS } from '../limits.ts';
import { FunctionLogStore } from '../logs/log-store.ts';
import { ChaosInjector, type ChaosOptions } from './chaos.ts';
import { functionEnvironment } from './environment.ts';
import {
  PLATFORM_ERRORS,
  type FunctionDefinition,
  type InvocationError,
  type InvocationResult,
} from './function-definition.ts';
import { FunctionWorkerPool, type LogListener } from './worker-pool.ts';

/** Per-function counts the host keeps (also recorded as AWS/Lambda metrics). */
export interface FunctionStats {
  invocations: number;
  errors: number;
  throttles: number;
  timeouts: number;
  crashes: number;
  totalDurationMs: number;
}

export type { ChaosOptions } from './chaos.ts';

export interface LambdaHostOptions {
  readonly endpoints: Endpoints;
  /** What the functions' AWS SDK signs with (`AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`). */
  readonly credentials: Credentials;
  readonly region: string;
  readonly metrics: MetricStore;
  /** Receives every line a function writes to stdout/stderr. @default - kept in `logStore` only */
  readonly onLog?: LogListener;
  /** Keeps the last lines of each function's log group. @default - a store of its own */
  readonly logStore?: FunctionLogStore;
  /** @default - no fault injection */
  readonly chaos?: ChaosOptions;
  /** An execution environment idle this long (ms, real time) is ended. @default 60000 */
  readonly idleTimeoutMs?: number;
  /**
   * Most execution environments (worker threads) of one function alive at once; an invocation
   * beyond them waits for a free one (reserved concurrency still throttles first).
   * @default - the machine's cores, at least 2
   */
  readonly maxEnvironmentsPerFunction?: number;
  /**
   * Execution environments alive at once across all functions, a soft limit: a cold start beyond it
   * first ends the longest-idle environment of any function; with none idle it starts anyway, so an
   * invocation never waits for the budget.
   * @default - 8 per core, at least 16
   */
  readonly maxEnvironments?: number;
}

/** Runs the stack's functions: one worker pool (one environment) per function, metrics per invocation. */
export class LambdaHost {
  readonly #pools = new Map<string, FunctionWorkerPool>();
  readonly #stats = new Map<string, FunctionStats>();
  readonly #logStore: FunctionLogStore;
  /** Cold starts of this host's environments, at most one per core at once (they are CPU-bound). */
  readonly #coldStarts: LimitFunction = pLimit(Math.max(1, availableParallelism()));
  readonly #chaos: ChaosInjector | undefined;

  constructor(private readonly options: LambdaHostOptions) {
    this.#chaos = options.chaos ? new ChaosInjector(options.chaos) : undefined;
    this.#logStore = options.logStore ?? new FunctionLogStore();
  }

  register(definition: FunctionDefinition): void {
    const env = functionEnvironment(definition, this.options.endpoints, this.options.region, this.options.credentials);
    this.#logStore.declare(definition.logGroupName);
    const onLog: LogListener = (fn, line) => {
      recordEmbeddedMetrics(this.options.metrics, line);
      this.#logStore.append(definition.logGroupName, fn, line);
      this.options.onLog?.(fn, line);
    };
    this.#pools.set(
      definition.functionName,
      new FunctionWorkerPool(definition, env, onLog, {
        coldStarts: this.#coldStarts,
        idleTimeoutMs: this.options.idleTimeoutMs ?? LOCAL_DEFAULTS.lambdaIdleEnvironmentMs,
        maxEnvironments: this.options.maxEnvironmentsPerFunction ?? LOCAL_DEFAULTS.lambdaMaxEnvironmentsPerFunction,
        beforeColdStart: () => this.#makeRoom(),
      }),
    );
    this.#stats.set(definition.functionName, {
      invocations: 0,
      errors: 0,
      throttles: 0,
      timeouts: 0,
      crashes: 0,
      totalDurationMs: 0,
    });
  }

  /** Finds a function by name, ARN or logical id. */
  definition(identifier: string): FunctionDefinition {
    const pool = this.#pool(identifier);
    return pool.definition;
  }

  #pool(identifier: string): FunctionWorkerPool {
    const direct = this.#pools.get(identifier);
    if (direct) return direct;
    for (const pool of this.#pools.values()) {
      const d = pool.definition;
      if (d.arn === identifier || d.logicalId === identifier || identifier.startsWith(`${d.arn}:`)) return pool;
    }
    throw new FunctionNotFoundError(identifier, [...this.#pools.keys()]);
  }

  /**
   * Runs `work` (an event source's receive and invoke) when the function has an execution
   * environment free: at most as many at once, per function, as it may have environments.
   */
  whenEnvironmentFree<T>(identifier: string, work: () => Promise<T>): Promise<T> {
    return this.#pool(identifier).whenFree(work);
  }

  /**
   * Loads the function's code from `codeDir` for the next invocation; invocations in flight finish on
   * the code they started with.
   */
  replaceCode(identifier: string, codeDir: string): void {
    this.#pool(identifier).replaceCode(codeDir);
  }

  functionNames(): string[] {
    return [...this.#pools.keys()];
  }

  stats(functionName: string): FunctionStats {
    return { ...this.#stats.get(this.#pool(functionName).definition.functionName)! };
  }

  /** The kept lines of a function (see LOG_EVENTS_KEPT_PER_GROUP), oldest first. */
  logs(functionName: string): readonly string[] {
    const { logGroupName } = this.#pool(functionName).definition;
    return this.#logStore.query({ logGroupName, limit: Number.POSITIVE_INFINITY }).events.map((e) => e.message);
  }

  /** Synchronous (RequestResponse) invocation, as the event source mappings and `invoke` callers use it. */
  async invoke(identifier: string, event: unknown): Promise<InvocationResult> {
    const pool = this.#pool(identifier);
    const { functionName, reservedConcurrency } = pool.definition;
    const stats = this.#stats.get(functionName)!;
    const dims = { FunctionName: functionName };
    const record = (name: string, value: number) => this.options.metrics.record('AWS/Lambda', name, dims, value);
    if (reservedConcurrency !== undefined && pool.activeInvocations >= reservedConcurrency) {
      return this.#throttled(functionName, {
        errorType: PLATFORM_ERRORS.throttled,
        errorMessage: `Rate Exceeded: ${functionName} is at its reserved concurrency (${reservedConcurrency})`,
      });
    }
    const fault = this.#chaos?.next();
    if (fault?.kind === 'refuse') return this.#throttled(functionName, fault.error);
    record('ConcurrentExecutions', pool.activeInvocations + 1);
    const result = await pool.invoke(event, fault?.kind === 'crash' ? { crashAfterMs: fault.afterMs } : {});
    stats.invocations++;
    stats.totalDurationMs += result.durationMs;
    record('Invocations', 1);
    record('Duration', result.durationMs);
    record('Errors', result.ok ? 0 : 1);
    if (!result.ok) {
      stats.errors++;
      if (result.error.errorType === PLATFORM_ERRORS.timeout) stats.timeouts++;
      if (result.error.errorType === PLATFORM_ERRORS.exit || result.error.errorType === PLATFORM_ERRORS.outOfMemory)
        stats.crashes++;
    }
    return result;
  }

  /** Refused before any environment runs it (reserved concurrency reached, or an injected throttle). */
  #throttled(functionName: string, error: InvocationError): InvocationResult {
    this.#stats.get(functionName)!.throttles++;
    this.options.metrics.record('AWS/Lambda', 'Throttles', { FunctionName: functionName }, 1);
    return { ok: false, durationMs: 0, requestId: '', error };
  }

  /** Chaos testing: crashes the environments of a function (or of all) that are running an invocation; returns how many. */
  crashBusyEnvironments(identifier?: string): number {
    const pools = identifier ? [this.#pool(identifier)] : [...this.#pools.values()];
    return pools.reduce((n, pool) => n + pool.crashBusy(), 0);
  }

  /** At the budget, ends the environment idle the longest, whichever function it belongs to. */
  #makeRoom(): void {
    const budget = this.options.maxEnvironments ?? LOCAL_DEFAULTS.lambdaMaxEnvironments;
    const pools = [...this.#pools.values()];
    if (pools.reduce((n, pool) => n + pool.environments, 0) < budget) return;
    let oldest: { pool: FunctionWorkerPool; since: number } | undefined;
    for (const pool of pools) {
      const since = pool.longestIdleSince;
      if (since !== undefined && (!oldest || since < oldest.since)) oldest = { pool, since };
    }
    oldest?.pool.endLongestIdle();
  }

  /** Execution environments alive per function. */
  environments(): Record<string, number> {
    return Object.fromEntries([...this.#pools].map(([name, pool]) => [name, pool.environments]));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((p) => p.stop()));
  }
}
