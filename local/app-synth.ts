import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { VERBOSE_BUNDLING_ENV } from '../contracts/index.ts';
import { LocalCloudError } from './errors.ts';
import { isAssemblyStale } from '../assembly/index.ts';

/** What is not the app's source when deciding whether its cloud assembly is stale (dot folders are skipped too). */
const NOT_SOURCES = new Set(['node_modules', 'cdk.out', 'dist', 'coverage']);

/** Whether a file or folder of the app (or of a folder in it) is its source, by name. */
export const isAppSource = (name: string) =>
  !NOT_SOURCES.has(name) && !name.startsWith('.') && !name.startsWith('cdk.out');

/** The app's files and folders whose changes make its cloud assembly stale. */
function appSources(appDir: string): string[] {
  return readdirSync(appDir)
    .filter(isAppSource)
    .map((entry) => join(appDir, entry));
}

/** `cdk synth` failed: what it printed is the reason. */
export class SynthFailedError extends LocalCloudError {
  override readonly name = 'SynthFailedError';
}

/**
 * Runs `npx cdk synth` in `appDir` when `assemblyDir` is missing or older than any of the app's
 * files; returns the milliseconds it took, or undefined when the assembly was fresh.
 */
export function synthesizeIfStale(
  appDir: string,
  assemblyDir: string,
  opts: { readonly verbose?: boolean } = {},
): number | undefined {
  if (!isAssemblyStale(assemblyDir, appSources(appDir))) return undefined;
  const started = performance.now();
  // Quiet unless verbose: then what cdk synth prints (and a line per bundled handler) goes to stderr.
  const result = spawnSync('npx', synthArgs(assemblyDir), {
    cwd: appDir,
    stdio: ['ignore', 'ignore', opts.verbose ? 'inherit' : 'pipe'],
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      ...(opts.verbose ? { [VERBOSE_BUNDLING_ENV]: '1' } : {}),
    },
  });
  if (result.status !== 0)
    throw new SynthFailedError(
      `cdk synth failed in ${appDir} (exit ${result.status}): ${result.stderr?.trim() || (opts.verbose ? 'see above' : 'no output')}. Fix: correct the error and run again.`,
    );
  return performance.now() - started;
}

const synthArgs = (outdir: string) => ['cdk', 'synth', '--no-notices', '-q', '--output', outdir];

/**
 * Runs `npx cdk synth` in `appDir` into `outdir` without blocking the event loop (the running local
 * cloud keeps serving meanwhile); rejects with what it printed on stderr.
 */
export function synthesizeInto(appDir: string, outdir: string): Promise<void> {
  const child = spawn('npx', synthArgs(outdir), {
    cwd: appDir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      if (status === 0) resolve();
      else
        reject(
          new SynthFailedError(
            `cdk synth failed in ${appDir} (exit ${status}): ${stderr.trim() || 'no output'}. Fix: correct the error and save again.`,
          ),
        );
    });
  });
}
