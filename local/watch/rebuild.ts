import { relative, resolve } from 'node:path';
import { bundleDirectory, bundleOptions } from '../../contracts/index.ts';
import { HandlerRebuildError, LocalCloudError } from '../errors.ts';

/** A handler rebuilt: where its bundle is and the source files it was built from. */
export interface RebuiltHandler {
  readonly codeDir: string;
  /** Absolute paths of every file esbuild read (the entry and what it imports, node_modules included). */
  readonly inputs: readonly string[];
}

type Esbuild = typeof import('esbuild');
let esbuild: Promise<Esbuild> | undefined;

/** esbuild is an optional peer dependency of Fanout: the watch needs it, as the synth does. */
function loadEsbuild(): Promise<Esbuild> {
  esbuild ??= import('esbuild').catch((error: unknown) => {
    esbuild = undefined;
    throw new LocalCloudError(
      `--watch rebuilds handlers with esbuild, which is not installed (${String(error)}). Fix: 'npm install --save-dev esbuild'.`,
    );
  });
  return esbuild;
}

interface EsbuildFailure {
  readonly errors?: readonly { text: string; location?: { file: string; line: number; column: number } | null }[];
}

/** esbuild's first error, at its file (relative to the current directory), line and column. */
function firstError(entry: string, workingDir: string, error: unknown): string {
  const shown = (file: string) => relative(process.cwd(), resolve(workingDir, file)) || file;
  const first = (error as EsbuildFailure).errors?.[0];
  if (!first) return `${shown(entry)}: ${error instanceof Error ? error.message : String(error)}`;
  const at = first.location;
  const where = at ? `${shown(at.file)}:${at.line}:${at.column}` : shown(entry);
  return `${where}: ${first.text}`;
}

/** Bundles `entry` as the synth does (same esbuild options, same bundle cache) and lists its inputs. */
export async function rebuildHandler(entry: string): Promise<RebuiltHandler> {
  const { build } = await loadEsbuild();
  const options = bundleOptions(entry);
  const result = await build({ ...options, metafile: true, logLevel: 'silent' }).catch((error: unknown) => {
    throw new HandlerRebuildError(firstError(entry, options.absWorkingDir, error), { cause: error });
  });
  return {
    codeDir: bundleDirectory(result.outputFiles),
    inputs: Object.keys(result.metafile.inputs).map((input) => resolve(options.absWorkingDir, input)),
  };
}
