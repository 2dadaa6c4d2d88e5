import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BuildOptions } from 'esbuild';

/**
 * How a consumer's handler becomes its Lambda bundle, between the synth (lib/bundler.ts) and the
 * local cloud's watch (local/watch/), which rebuilds a handler exactly as the synth would.
 */

/** The output file Lambda loads (`index.handler` → `index.mjs`, an ES module). */
const BUNDLE_FILE = 'index.mjs';
/** The Lambda handler setting of a bundled consumer: the file's stem and the exported function. */
export const BUNDLE_HANDLER = 'index.handler';

/** Modules the nodejs24.x runtime provides; left out of bundles to keep them small. */
const RUNTIME_PROVIDED_MODULES = ['@aws-sdk/*'] as const;

/** CommonJS dependencies bundled into an ES module still call `require`; this defines it. */
const REQUIRE_SHIM = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * esbuild's options for the bundle of `entry` (an absolute path): the same flags as NodejsFunction's
 * local bundling (ESM, node24, minified, AWS SDK external), output kept in memory. A linked source map
 * without the sources goes beside the bundle: the local cloud maps stacks to the handler's own files
 * and lines, and on AWS so does `NODE_OPTIONS=--enable-source-maps`. Its paths are relative, so the
 * asset's hash does not depend on where the project is checked out.
 */
export function bundleOptions(entry: string) {
  return {
    entryPoints: [entry],
    outfile: BUNDLE_FILE,
    write: false,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    sourcemap: 'linked',
    sourcesContent: false,
    mainFields: ['module', 'main'],
    external: [...RUNTIME_PROVIDED_MODULES],
    banner: { js: REQUIRE_SHIM },
    logLevel: 'warning',
    absWorkingDir: path.dirname(entry),
  } satisfies BuildOptions;
}

/** One file esbuild produced (the bundle or its source map). */
export interface BundleOutput {
  readonly path: string;
  readonly contents: Uint8Array;
}

/**
 * The directory holding a bundle's files (the bundle file and its map): named by their content's hash
 * under the temp directory, so an identical bundle is reused, concurrent writers never see a
 * half-written one (written aside, then renamed) and nothing accumulates per run.
 */
export function bundleDirectory(outputs: readonly BundleOutput[]): string {
  const files = outputs.map((o) => ({ name: path.basename(o.path), contents: o.contents }));
  const hash = createHash('sha256');
  for (const f of files) hash.update(f.name).update(f.contents);
  // Per user, and an existing directory is used only when it holds these very bytes (a shared temp
  // directory is writable by others).
  const user = process.getuid?.() ?? 'user';
  const dir = path.join(tmpdir(), `fanout-bundles-${user}`, hash.digest('hex').slice(0, 32));
  const holds = (f: (typeof files)[number]) => {
    const file = path.join(dir, f.name);
    return existsSync(file) && Buffer.from(f.contents).equals(readFileSync(file));
  };
  if (files.every(holds)) return dir;
  rmSync(dir, { recursive: true, force: true });
  const building = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}`;
  mkdirSync(building, { recursive: true });
  for (const f of files) writeFileSync(path.join(building, f.name), f.contents);
  try {
    renameSync(building, dir);
  } catch {
    // Another writer renamed the same bundle into place first.
    rmSync(building, { recursive: true, force: true });
  }
  return dir;
}

/** Resource metadata key of a bundled consumer function: where its handler's source is. */
export const HANDLER_SOURCE_METADATA = 'fanout:handler-source';

/** The value of `HANDLER_SOURCE_METADATA`. */
export interface HandlerSource {
  /** The endpoint the function consumes (what reload lines name). */
  readonly endpoint: string;
  /** The handler file, relative to the cloud assembly directory. */
  readonly entry: string;
}

/** The handler source a function resource's metadata names, if it is a well-formed one. */
export function readHandlerSource(metadata: Readonly<Record<string, unknown>> | undefined): HandlerSource | undefined {
  const value = metadata?.[HANDLER_SOURCE_METADATA] as Partial<HandlerSource> | undefined;
  if (typeof value?.endpoint !== 'string' || typeof value.entry !== 'string') return undefined;
  return { endpoint: value.endpoint, entry: value.entry };
}
