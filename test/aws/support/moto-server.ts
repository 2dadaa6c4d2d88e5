import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** The programs the moto suite runs; each with the command that installs it. */
const PREREQUISITES = [
  { command: 'moto_server', probe: ['--help'], install: "pip install 'moto[server]'" },
  { command: 'aws', probe: ['--version'], install: 'pip install awscli' },
] as const;

/** The prerequisites that cannot be run here, as one line naming each and its install command (undefined: all present). */
export function missingPrerequisites(): string | undefined {
  const missing = PREREQUISITES.filter((p) => spawnSync(p.command, p.probe, { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return undefined;
  return missing.map((p) => `'${p.command}' is not runnable (install it with \`${p.install}\`)`).join('; ');
}

export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    return (await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

const START_TIMEOUT_MS = 30_000;

/** Starts `moto_server` on a free port of 127.0.0.1 and resolves once it answers HTTP. */
export async function startMotoServer(): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4_000);
  });
  const exited = once(child, 'exit');
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await answers(endpoint))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(
        `moto_server did not answer on ${endpoint} within ${START_TIMEOUT_MS / 1000} s (exit code ${child.exitCode}); its output:\n${log}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
