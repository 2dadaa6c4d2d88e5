import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Topology } from '../../topology/index.ts';
import { AppConfigError } from '../errors.ts';

/** File names the CLI looks for, in this order, in the current directory and its parents. */
export const APP_CONFIG_FILES = ['fanout.config.ts', 'fanout.config.mts', 'fanout.config.js', 'fanout.config.mjs'];

/** An app's `fanout.config.ts`: its topology, and what else it declares (read by the commands that need it). */
export interface LoadedAppConfig {
  readonly topology: Topology;
  /** Anything else the file exports (`demo` for `fanout start`). */
  readonly [key: string]: unknown;
  /** The config file and the app's root (the folder holding it). */
  readonly file: string;
  readonly dir: string;
}

/** The nearest config file at or above `from`, if any. */
export function findAppConfig(from: string = process.cwd()): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    for (const name of APP_CONFIG_FILES) if (existsSync(join(dir, name))) return join(dir, name);
    if (dirname(dir) === dir) return undefined;
  }
}

const SCAFFOLD_HINT =
  "export default { topology } satisfies FanoutConfig (type from 'fanout/local'); `npx fanout init <dir>` writes one";

/** Loads the app's config (TypeScript needs Node ≥ 22.18 or 24, which strip types, or the CLI run through tsx). */
export async function loadAppConfig(from: string = process.cwd()): Promise<LoadedAppConfig> {
  const file = findAppConfig(from);
  if (!file)
    throw new AppConfigError(
      `No fanout.config.ts in ${from} or above it: the fanout CLI reads the app's topology from it. Fix: run the command in your app, or create fanout.config.ts: ${SCAFFOLD_HINT}.`,
    );
  let loaded: { default?: unknown };
  try {
    loaded = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new AppConfigError(
      `${relative(process.cwd(), file) || file} could not be loaded (${reason}). Fix: correct the error; TypeScript needs Node ≥ 22.18 (run the CLI with \`npx fanout\` in the app, whose Node it uses).`,
      { cause: error },
    );
  }
  const config = loaded.default as { topology?: Topology } | undefined;
  if (!config || typeof config !== 'object' || !config.topology || typeof config.topology.name !== 'string')
    throw new AppConfigError(
      `${relative(process.cwd(), file) || file} must export a default object with the app's topology. Fix: ${SCAFFOLD_HINT}.`,
    );
  return { ...(config as object), topology: config.topology, file, dir: dirname(file) };
}
