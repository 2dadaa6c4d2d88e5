import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import pLimit, { type LimitFunction } from 'p-limit';
import { LOCAL_DEFAULTS } from '../limits.ts';
import type { BootstrapData, WorkerReply, WorkerRequest } from './worker-bootstrap.ts';
import {
  PLATFORM_ERRORS,
  type FunctionDefinition,
  type InvocationError,
  type InvocationResult,
} from './function-definition.ts';

/** The worker's entry beside this module: TypeScript in the sources, JavaScript in the built package. */
const BOOTSTRAP = new URL(`./worker-bootstrap${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * The AWS SDK bundles leave external resolves from Fanout's node_modules (and the app's above it), as
 * Lambda provides it: Fanout's own package.json, found by its package name (in the sources or installed).
 */
const SDK_RESOLVE_FROM = pathToFileURL(createRequire(import.meta.url).resolve('fanout/package.json')).href;
const COMPILE_CACHE_DIR = join(tmpdir(), 'fanout-local-compile-cache');

export type LogListener = (functionName: string, line: string) => void;

type Reply = WorkerReply | { type: 'exit'; error: InvocationError };

interface Pending {
  readonly resolve: (reply: Reply) => void;
}

/** What a pool's environments share with the rest of the local cloud. */
export interface WorkerPoolOptions {
  /** Limits how many environments of this local cloud initialize at once (cold starts are CPU-bound). */
  readonly coldStarts: LimitFunction;
  /** An environment idle this long is ended, as Lambda reaps idle execution environments. */
  readonly idleTimeoutMs: number;
  /** Most environments alive at once; an invocation beyond them waits for one to be free. */
  readonly maxEnvironments: number;
  /** Runs just before each cold start (the host keeps the whole cloud's environments in budget). @default - nothing */
  readonly beforeColdStart?: () => void;
}

/** One warm execution environment: a worker thread that has loaded the function's code. */
class ExecutionEnvironment {
  readonly worker: Worker;
  readonly ready: Promise<InvocationError | undefined>;
  /** The code it loaded: once the function's code is replaced, it finishes its invocation and ends. */
  readonly codeDir: string;
  #pending: Pending | undefined;
  #lastError: unknown;
  #nextId = 0;
  exited = false;
  /** performance.now() when it last became idle. */
  idleSince = performance.now();

  constructor(fn: FunctionDefinition, env: Record<string, string>, onLog: LogListener) {
    this.codeDir = fn.codeDir;
    const workerData: BootstrapData = {
      codeDir: fn.codeDir,
      handler: fn.handler,
      sdkResolveFrom: SDK_RESOLVE_FROM,
      functionName: fn.functionName,
      memoryMb: fn.memoryMb,
      arn: fn.arn,
      logGroupName: fn.logGroupName,
      logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
      compileCacheDir: COMPILE_CACHE_DIR,
    };
    this.worker = new Worker(BOOTSTRAP, {
      workerData,
      env,
      execArgv: [],
      stdout: true,
      stderr: true,
      // MemorySize is the old generation's limit (Runtime.OutOfMemory beyond it); a small young
      // generation keeps each isolate's resident memory near what the function really holds.
      resourceLimits: {
        maxOldGenerationSizeMb: fn.memoryMb,
        maxYoungGenerationSizeMb: LOCAL_DEFAULTS.workerYoungGenerationMb,
      },
    });
    // The bootstrap hands log lines over with its replies; this catches anything written past it.
    for (const stream of [this.worker.stdout, this.worker.stderr]) {
      createInterface({ input: stream }).on('line', (line) => onLog(fn.functionName, line));
    }
    this.ready = new Promise((resolve) => {
      const onMessage = (reply: WorkerReply) => {
        for (const line of reply.logs) onLog(fn.functionName, line);
        if (reply.type === 'ready') resolve(undefined);
        else if (reply.type === 'init-error') resolve(reply.error);
        else if (reply.type !== 'logs') this.#pending?.resolve(reply);
      };
      this.worker.on('message', onMessage);
      this.worker.on('error', (error) => (this.#lastError = error));
      this.worker.on('exit', (code) => {
        this.exited = true;
        const error = this.#exitError(code);
        resolve(error);
        this.#pending?.resolve({ type: 'exit', error });
      });
    });
  }

  #exitError(code: number): InvocationError {
    const cause = this.#lastError as { code?: string; message?: string; name?: string } | undefined;
    if (cause?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return {
        errorType: PLATFORM_ERRORS.outOfMemory,
        errorMessage: 'Runtime exited with error: out of memory (MemorySize reached)',
      };
    }
    const detail = cause ? `${cause.name ?? 'Error'}: ${cause.message ?? String(cause)}` : `exit status ${code}`;
    return { errorType: PLATFORM_ERRORS.exit, errorMessage: `Runtime exited with error: ${detail}` };
  }

  get busy(): boolean {
    return this.#pending !== undefined;
  }

  run(event: unknown, deadline: number, requestId: string): Promise<Reply> {
    return new Promise<Reply>((resolve) => {
      this.#pending = { resolve };
      // The event crosses as its JSON text (as Lambda hands it over): one string copy instead of a
      // structured clone of every record object.
      const request: WorkerRequest = {
        type: 'invoke',
        id: ++this.#nextId,
        event: JSON.stringify(event),
        deadline,
        requestId,
      };
      this.worker.postMessage(request);
    }).finally(() => (this.#pending = undefined));
  }
}

/**
 * The warm execution environments of one function: an idle one is reused, otherwise one more is
 * initialized (one at a time per function) and the invocation takes whichever is free first. At most
 * one environment per concurrent invocation; one idle for `idleTimeoutMs` is ended.
 */
export class FunctionWorkerPool {
  readonly #idle: ExecutionEnvironment[] = [];
  #reaper: NodeJS.Timeout | undefined;
  readonly #all = new Set<ExecutionEnvironment>();
  readonly #waiting: { resolve: (environment: ExecutionEnvironment) => void; reject: (error: Error) => void }[] = [];
  #initializing = false;
  #stopped = false;
  #active = 0;

  #definition: FunctionDefinition;

  constructor(
    definition: FunctionDefinition,
    private readonly env: Record<string, string>,
    private readonly onLog: LogListener,
    private readonly options: WorkerPoolOptions,
  ) {
    this.#definition = definition;
    this.#slots = pLimit(options.maxEnvironments);
  }

  get definition(): FunctionDefinition {
    return this.#definition;
  }

  /**
   * Runs the code in `codeDir` from the next invocation on: idle environments end now, busy ones
   * finish their invocation on the code they loaded and then end. A function that had an environment
   * gets one on the new code at once, so its next invocation finds it warm (or initializing).
   */
  replaceCode(codeDir: string): void {
    const warm = this.#all.size > 0;
    this.#definition = { ...this.#definition, codeDir };
    for (const environment of this.#idle.splice(0)) this.#end(environment);
    if (warm) this.#initializeOne({ unasked: true });
  }

  /** Event-source turns, at most one per environment the pool may have (see LambdaHost.whenEnvironmentFree). */
  readonly #slots: LimitFunction;

  whenFree<T>(work: () => Promise<T>): Promise<T> {
    return this.#slots(work);
  }

  get activeInvocations(): number {
    return this.#active;
  }

  get environments(): number {
    return this.#all.size;
  }

  #acquire(): Promise<ExecutionEnvironment> {
    this.#dropExitedIdle();
    const environment = this.#idle.pop();
    if (environment) return Promise.resolve(environment);
    if (this.#stopped) return Promise.reject(new Error('the local cloud is stopping'));
    const acquired = new Promise<ExecutionEnvironment>((resolve, reject) => this.#waiting.push({ resolve, reject }));
    this.#initializeOne();
    return acquired;
  }

  /** `unasked`: initialize one even with no invocation waiting (it becomes idle, warm for the next). */
  #initializeOne({ unasked = false } = {}): void {
    if (this.#initializing || this.#stopped || (this.#waiting.length === 0 && !unasked)) return;
    if (this.#all.size >= this.options.maxEnvironments) return; // the next release or discard serves the waiter
    this.#initializing = true;
    void this.options
      .coldStarts(async () => {
        // A cold start queued behind others may come after stop(): it must not start a worker.
        if (this.#stopped) return undefined;
        this.options.beforeColdStart?.();
        const environment = new ExecutionEnvironment(this.definition, this.env, this.onLog);
        this.#all.add(environment);
        await environment.ready;
        return environment;
      })
      .then(
        (environment) => {
          this.#initializing = false;
          if (!environment) return;
          if (this.#stopped) {
            void environment.worker.terminate();
            return;
          }
          this.#release(environment);
          this.#initializeOne();
        },
        (error: unknown) => {
          this.#initializing = false;
          for (const waiter of this.#waiting.splice(0)) waiter.reject(error as Error);
        },
      );
  }

  #release(environment: ExecutionEnvironment): void {
    if (environment.codeDir !== this.#definition.codeDir) {
      this.#discard(environment);
      return;
    }
    const next = this.#waiting.shift();
    if (next) {
      next.resolve(environment);
      return;
    }
    environment.idleSince = performance.now();
    this.#idle.push(environment);
    this.#reaper ??= setInterval(() => this.#reapIdle(), Math.max(50, this.options.idleTimeoutMs / 2)).unref();
  }

  /** When the longest-idle environment became idle (`performance.now()`); undefined when none is idle. */
  get longestIdleSince(): number | undefined {
    this.#dropExitedIdle();
    return this.#idle[0]?.idleSince;
  }

  /** Ends the longest-idle environment, as a reaper would, to make room for another function's. */
  endLongestIdle(): void {
    this.#dropExitedIdle();
    const environment = this.#idle.shift();
    if (environment) this.#end(environment);
  }

  /** Forgets idle environments whose worker has exited (a crash while idle). */
  #dropExitedIdle(): void {
    for (let i = this.#idle.length - 1; i >= 0; i--) {
      if (this.#idle[i]!.exited) this.#all.delete(this.#idle.splice(i, 1)[0]!);
    }
  }

  #end(environment: ExecutionEnvironment): void {
    this.#all.delete(environment);
    if (!environment.exited) void environment.worker.terminate();
  }

  /** Ends the environments idle for `idleTimeoutMs` (the most recently used are reused first). */
  #reapIdle(): void {
    const cutoff = performance.now() - this.options.idleTimeoutMs;
    for (let i = this.#idle.length - 1; i >= 0; i--) {
      const environment = this.#idle[i]!;
      if (environment.idleSince > cutoff && !environment.exited) continue;
      this.#idle.splice(i, 1);
      this.#end(environment);
    }
    if (this.#idle.length === 0) {
      clearInterval(this.#reaper);
      this.#reaper = undefined;
    }
  }

  /** `crashAfterMs` (chaos testing) kills the environment that long into the invocation. */
  async invoke(event: unknown, options: { crashAfterMs?: number } = {}): Promise<InvocationResult> {
    const requestId = randomUUID();
    let started = performance.now();
    const done = (
      result: { ok: true; payload: unknown } | { ok: false; error: InvocationError },
    ): InvocationResult => ({
      ...result,
      durationMs: performance.now() - started,
      requestId,
    });
    this.#active++;
    try {
      let environment: ExecutionEnvironment;
      try {
        environment = await this.#acquire();
      } catch (error) {
        return done({ ok: false, error: { errorType: PLATFORM_ERRORS.exit, errorMessage: (error as Error).message } });
      }
      const initError = await environment.ready;
      if (initError) {
        this.#discard(environment);
        return done({ ok: false, error: initError });
      }
      // Like Lambda's Duration: the init phase (cold start) is not part of it.
      started = performance.now();
      const timeoutMs = this.definition.timeoutSeconds * 1000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const crash =
        options.crashAfterMs === undefined
          ? undefined
          : setTimeout(() => void environment.worker.terminate(), options.crashAfterMs);
      const reply = await Promise.race([environment.run(event, Date.now() + timeoutMs, requestId), timedOut]);
      clearTimeout(timer);
      clearTimeout(crash);
      if (reply === 'timeout') {
        this.#discard(environment);
        return done({
          ok: false,
          error: {
            errorType: PLATFORM_ERRORS.timeout,
            errorMessage: `Task timed out after ${this.definition.timeoutSeconds.toFixed(2)} seconds`,
          },
        });
      }
      if (reply.type === 'result' || reply.type === 'error') {
        this.#release(environment);
        return done(reply.type === 'result' ? { ok: true, payload: reply.payload } : { ok: false, error: reply.error });
      }
      this.#discard(environment);
      return done({
        ok: false,
        error:
          reply.type === 'exit' ? reply.error : { errorType: PLATFORM_ERRORS.exit, errorMessage: 'unexpected reply' },
      });
    } finally {
      this.#active--;
    }
  }

  #discard(environment: ExecutionEnvironment): void {
    this.#end(environment);
    this.#initializeOne();
  }

  /** Chaos testing: kills every environment in the middle of an invocation, as a runtime crash would. */
  crashBusy(): number {
    const busy = [...this.#all].filter((e) => e.busy && !e.exited);
    for (const environment of busy) void environment.worker.terminate();
    return busy.length;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#reaper);
    for (const waiter of this.#waiting.splice(0)) waiter.reject(new Error('the local cloud is stopping'));
    const all = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.all(all.map((e) => e.worker.terminate()));
  }
}
