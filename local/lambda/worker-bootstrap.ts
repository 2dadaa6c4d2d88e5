/**
 * Runs inside a worker thread: the local stand-in for the Lambda Node.js runtime. Loaded by Node's
 * own type stripping (no loader), so it uses erasable syntax and node: imports only.
 */
import dns from 'node:dns';
import { existsSync } from 'node:fs';
import { createRequire, enableCompileCache, registerHooks } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

export interface BootstrapData {
  readonly codeDir: string;
  readonly handler: string;
  /** A file URL inside the project: bare imports of the runtime-provided AWS SDK resolve from there. */
  readonly sdkResolveFrom: string;
  readonly functionName: string;
  readonly memoryMb: number;
  readonly arn: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** Directory for V8's compile cache, shared by all environments so warm starts skip parsing the SDK. */
  readonly compileCacheDir: string;
}

export type WorkerRequest = {
  readonly type: 'invoke';
  readonly id: number;
  /** The event's JSON text. */
  readonly event: string;
  readonly deadline: number;
  readonly requestId: string;
};

/**
 * Every reply carries the log lines written since the last one (stdout and stderr, split into lines):
 * one message per invocation instead of a stream read per line. Lines written between invocations
 * arrive in a `logs` reply on the next turn of the worker's event loop.
 */
export type WorkerReply = { readonly logs: readonly string[] } & (
  | { readonly type: 'ready' }
  | { readonly type: 'logs' }
  | { readonly type: 'init-error'; readonly error: SerializedError }
  | { readonly type: 'result'; readonly id: number; readonly payload: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError }
);

export interface SerializedError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stackTrace?: string[];
}

/** Packages the Lambda Node.js runtime provides, so bundles leave them external. */
const RUNTIME_PROVIDED = /^@(aws-sdk|smithy|aws-crypto)\//;
const HANDLER_FILE_EXTENSIONS = ['.mjs', '.js', '.cjs'];

const data = workerData as BootstrapData;
const port = parentPort!;
// Stacks name the handler's own files and lines through the bundle's source map, as
// NODE_OPTIONS=--enable-source-maps does on Lambda.
process.setSourceMapsEnabled(true);

enableCompileCache(data.compileCacheDir);

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!RUNTIME_PROVIDED.test(specifier)) throw error;
      if (context.conditions?.includes('require')) {
        return {
          url: pathToFileURL(createRequire(data.sdkResolveFrom).resolve(specifier)).href,
          format: 'commonjs',
          shortCircuit: true,
        };
      }
      return nextResolve(specifier, { ...context, parentURL: data.sdkResolveFrom });
    }
  },
});

// Virtual-hosted-style S3 (`bucket.s3.localhost`) must reach the local endpoint.
const originalLookup = dns.lookup;
const localLookup = (hostname: string, options: unknown, callback?: unknown): void => {
  const cb = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
  const opts = (typeof options === 'object' && options ? options : {}) as { all?: boolean };
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    if (opts.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
    else cb(null, '127.0.0.1', 4);
    return;
  }
  (originalLookup as (...args: unknown[]) => void)(hostname, options, callback);
};
(dns as { lookup: unknown }).lookup = localLookup;

type WithoutLogs<T> = T extends unknown ? Omit<T, 'logs'> : never;

let lines: string[] = [];
let flushScheduled = false;

/** Sends a reply with the lines logged so far. */
function reply(message: WithoutLogs<WorkerReply>): void {
  const logs = lines;
  lines = [];
  port.postMessage({ ...message, logs } as WorkerReply);
}

function flushSoon(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(() => {
    flushScheduled = false;
    if (lines.length > 0) reply({ type: 'logs' });
  });
}

/** The function's stdout/stderr become log lines handed to the host with the next reply. */
function captureLines(stream: NodeJS.WriteStream): void {
  let partial = '';
  stream.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean => {
    const text = partial + (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    if (parts.length > 0) {
      for (const part of parts) lines.push(part); // no spread: one write may hold 100k+ lines
      flushSoon();
    }
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  }) as typeof stream.write;
}
captureLines(process.stdout);
captureLines(process.stderr);

function serialize(error: unknown, fallbackType = 'Error'): SerializedError {
  if (error instanceof Error) {
    return {
      errorType: error.name || fallbackType,
      errorMessage: error.message,
      stackTrace: error.stack
        ?.split('\n')
        .slice(1)
        .map((l) => l.trim()),
    };
  }
  return { errorType: fallbackType, errorMessage: typeof error === 'string' ? error : JSON.stringify(error) };
}

type Handler = (event: unknown, context: unknown) => Promise<unknown> | unknown;

async function loadHandler(): Promise<Handler> {
  const dot = data.handler.lastIndexOf('.');
  const modulePath = data.handler.slice(0, dot);
  const exportName = data.handler.slice(dot + 1);
  const file = HANDLER_FILE_EXTENSIONS.map((ext) => join(data.codeDir, modulePath + ext)).find((f) => existsSync(f));
  if (dot < 1 || !file) {
    throw Object.assign(
      new Error(`Cannot find module '${modulePath}' in ${data.codeDir} (handler '${data.handler}')`),
      { name: 'Runtime.ImportModuleError' },
    );
  }
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown> & {
    default?: Record<string, unknown>;
  };
  const handler = mod[exportName] ?? mod.default?.[exportName];
  if (typeof handler !== 'function') {
    throw Object.assign(new Error(`${modulePath}.${exportName} is undefined or not exported`), {
      name: 'Runtime.HandlerNotFound',
    });
  }
  return handler as Handler;
}

function contextFor(request: WorkerRequest) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: data.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: data.arn,
    memoryLimitInMB: String(data.memoryMb),
    awsRequestId: request.requestId,
    logGroupName: data.logGroupName,
    logStreamName: data.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, request.deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function main(): Promise<void> {
  let handler: Handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    reply({ type: 'init-error', error: serialize(error, 'Runtime.ImportModuleError') });
    return;
  }
  port.on('message', async (request: WorkerRequest) => {
    try {
      const result = await handler(JSON.parse(request.event), contextFor(request));
      // Lambda returns the JSON serialization of the result.
      const payload: unknown = result === undefined ? null : JSON.parse(JSON.stringify(result));
      reply({ type: 'result', id: request.id, payload });
    } catch (error) {
      reply({ type: 'error', id: request.id, error: serialize(error) });
    }
  });
  reply({ type: 'ready' });
}

void main();
