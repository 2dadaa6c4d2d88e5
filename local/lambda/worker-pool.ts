import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { BootstrapData, WorkerReply, WorkerRequest } from './worker-bootstrap.ts';
import { PLATFORM_ERRORS, type FunctionDefinition, type InvocationError, type InvocationResult } from './function-definition.ts';

const BOOTSTRAP = new URL('./worker-bootstrap.ts', import.meta.url);
/** The AWS SDK bundles leave external resolves from this project's node_modules, as Lambda provides it. */
const SDK_RESOLVE_FROM = new URL('../../package.json', import.meta.url).href;

export type LogListener = (functionName: string, line: string) => void;

interface Pending {
  readonly resolve: (reply: WorkerReply | { type: 'exit'; error: InvocationError }) => void;
}

/** One warm execution environment: a worker thread that has loaded the function's code. */
class ExecutionEnvironment {
  readonly worker: Worker;
  readonly ready: Promise<InvocationError | undefined>;
  #pending: Pending | undefined;
  #lastError: unknown;
  #nextId = 0;
  exited = false;

  constructor(fn: FunctionDefinition, env: Record<string, string>, onLog: LogListener) {
    const workerData: BootstrapData = {
      codeDir: fn.codeDir,
      handler: fn.handler,
      sdkResolveFrom: SDK_RESOLVE_FROM,
      functionName: fn.functionName,
      memoryMb: fn.memoryMb,
      arn: fn.arn,
      logGroupName: fn.logGroupName,
      logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
    };
    this.worker = new Worker(BOOTSTRAP, {
      workerData,
      env,
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: fn.memoryMb },
    });
    for (const stream of [this.worker.stdout, this.worker.stderr]) {
      createInterface({ input: stream }).on('line', (line) => onLog(fn.functionName, line));
    }
    this.ready = new Promise((resolve) => {
      const onInit = (reply: WorkerReply) => {
        if (reply.type === 'ready') resolve(undefined);
        else if (reply.type === 'init-error') resolve(reply.error);
        else this.#pending?.resolve(reply);
      };
      this.worker.on('message', onInit);
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
      return { errorType: PLATFORM_ERRORS.outOfMemory, errorMessage: 'Runtime exited with error: out of memory (MemorySize reached)' };
    }
    const detail = cause ? `${cause.name ?? 'Error'}: ${cause.message ?? String(cause)}` : `exit status ${code}`;
    return { errorType: PLATFORM_ERRORS.exit, errorMessage: `Runtime exited with error: ${detail}` };
  }

  run(event: unknown, deadline: number, requestId: string): Promise<WorkerReply | { type: 'exit'; error: InvocationError }> {
    return new Promise((resolve) => {
      this.#pending = { resolve };
      const request: WorkerRequest = { type: 'invoke', id: ++this.#nextId, event, deadline, requestId };
      this.worker.postMessage(request);
    }).finally(() => (this.#pending = undefined)) as Promise<WorkerReply | { type: 'exit'; error: InvocationError }>;
  }
}

/** The warm execution environments of one function: reused when idle, created on demand, replaced when one dies. */
export class FunctionWorkerPool {
  readonly #idle: ExecutionEnvironment[] = [];
  readonly #all = new Set<ExecutionEnvironment>();
  #active = 0;

  constructor(
    readonly definition: FunctionDefinition,
    private readonly env: Record<string, string>,
    private readonly onLog: LogListener,
  ) {}

  get activeInvocations(): number {
    return this.#active;
  }

  get environments(): number {
    return this.#all.size;
  }

  async invoke(event: unknown): Promise<InvocationResult> {
    const requestId = randomUUID();
    let started = performance.now();
    const done = (result: { ok: true; payload: unknown } | { ok: false; error: InvocationError }): InvocationResult => ({
      ...result,
      durationMs: performance.now() - started,
      requestId,
    });
    this.#active++;
    try {
      let environment = this.#idle.pop();
      while (environment?.exited) {
        this.#all.delete(environment);
        environment = this.#idle.pop();
      }
      environment ??= this.#spawn();
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
      const reply = await Promise.race([environment.run(event, Date.now() + timeoutMs, requestId), timedOut]);
      clearTimeout(timer);
      if (reply === 'timeout') {
        this.#discard(environment);
        return done({ ok: false, error: { errorType: PLATFORM_ERRORS.timeout, errorMessage: `Task timed out after ${this.definition.timeoutSeconds.toFixed(2)} seconds` } });
      }
      if (reply.type === 'result') {
        this.#idle.push(environment);
        return done({ ok: true, payload: reply.payload });
      }
      if (reply.type === 'error') {
        this.#idle.push(environment);
        return done({ ok: false, error: reply.error });
      }
      this.#discard(environment);
      return done({ ok: false, error: reply.type === 'exit' ? reply.error : { errorType: PLATFORM_ERRORS.exit, errorMessage: 'unexpected reply' } });
    } finally {
      this.#active--;
    }
  }

  #spawn(): ExecutionEnvironment {
    const environment = new ExecutionEnvironment(this.definition, this.env, this.onLog);
    this.#all.add(environment);
    return environment;
  }

  #discard(environment: ExecutionEnvironment): void {
    this.#all.delete(environment);
    if (!environment.exited) void environment.worker.terminate();
  }

  async stop(): Promise<void> {
    const all = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.all(all.map((e) => e.worker.terminate()));
  }
}
