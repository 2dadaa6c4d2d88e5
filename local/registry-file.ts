import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LOCAL_REGISTRY, type LocalRegistry } from '../contracts/index.ts';
import { LocalCloudError } from './errors.ts';

/** The shared registry contract plus what the local cloud adds for humans and tools. */
export interface LocalCloudRecord extends LocalRegistry {
  readonly pid: number;
  readonly assemblyDir: string;
  readonly accountId: string;
  readonly timeScale: number;
  readonly startedAt: string;
}

/** The registry path: `$FANOUT_LOCAL_REGISTRY` or `.fanout/local.json` in the working directory. */
export function defaultRegistryFile(): string {
  return process.env[LOCAL_REGISTRY.pathEnvVar] ?? LOCAL_REGISTRY.defaultPath;
}

export function writeRegistryFile(file: string, record: LocalCloudRecord): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  } catch (error) {
    throw new LocalCloudError(
      `Cannot write the local cloud's registry file ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}): ` +
        `the CLI finds a running cloud through it. Fix: start from a writable directory, or point ${LOCAL_REGISTRY.pathEnvVar} at a writable path.`,
      { cause: error },
    );
  }
}

/** Removes the file if it still describes this process's cloud. */
export function removeRegistryFile(file: string, pid = process.pid): void {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as LocalCloudRecord;
    if (record.pid === pid) rmSync(file);
  } catch {
    // Already gone.
  }
}

/** The running local cloud recorded in `file`, or undefined when none is (or its process is gone). */
export function readRegistryFile(file: string = defaultRegistryFile()): LocalCloudRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as LocalCloudRecord;
    process.kill(record.pid, 0);
    return record;
  } catch {
    return undefined;
  }
}
