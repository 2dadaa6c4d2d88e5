import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

export const REPO = join(import.meta.dirname, '..', '..', '..');

/** A place outside the repository, as a user's machine would have. */
export const scratch = (prefix: string) => mkdtempSync(join(tmpdir(), `fanout-${prefix}-`));

/**
 * The environment of a user's shell: none of this repository's node_modules/.bin on PATH and none of
 * the test runner's variables (a nested vitest would think it is a worker).
 */
export function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith('VITEST') && key !== 'NODE_OPTIONS' && key !== 'TEST' && key !== 'npm_config_prefix')
      env[key] = value;
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !dir.includes('node_modules'))
    .join(delimiter);
  env.CDK_DISABLE_CLI_TELEMETRY = 'true';
  return env;
}

export interface Ran {
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs a command as a user would (their PATH), failing with everything it printed. */
export async function sh(cwd: string, command: string, args: readonly string[], timeoutMs = 600_000): Promise<Ran> {
  const started = performance.now();
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, {
      cwd,
      env: userEnv(),
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, stderr, ms: performance.now() - started };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} in ${cwd} failed (exit ${e.code}):\n${e.stdout}\n${e.stderr}`);
  }
}

/** Builds the package and packs it as `npm publish` would; returns the tarball's path. */
export async function packFanout(): Promise<string> {
  const out = scratch('pack');
  await sh(REPO, 'npm', ['run', 'build']);
  await sh(REPO, 'npm', ['pack', '--ignore-scripts', '--pack-destination', out]);
  const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${out}`);
  return join(out, tarball);
}

/** Bytes under a directory (what `du` counts as content, not blocks). */
export function sizeOf(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.size;
  let sum = 0;
  for (const entry of readdirSync(path)) sum += sizeOf(join(path, entry));
  return sum;
}

/** The machine's own Node (outside any node_modules), if it is not the one running the tests. */
export function machineNode(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir.includes('node_modules')) continue;
    const node = join(dir, 'node');
    if (existsSync(node) && node !== process.execPath) return node;
  }
  return undefined;
}

/** A Node binary of the given major from the npm registry's `node` package, installed into a scratch directory. */
export async function npmNode(major: number): Promise<string> {
  const dir = scratch(`node${major}`);
  mkdirSync(dir, { recursive: true });
  await sh(dir, 'npm', ['install', '--no-save', '--no-package-lock', `node@${major}`]);
  return join(dir, 'node_modules', '.bin', 'node');
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
