import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VERBOSE_BUNDLING_ENV } from '../contracts/index.ts';
import { HandlerFileError } from './errors.ts';

/** The output file Lambda loads (`index.handler` → `index.mjs`, an ES module). */
export const BUNDLE_FILE = 'index.mjs';
/** The Lambda handler setting of a bundled consumer: the file's stem and the exported function. */
export const BUNDLE_HANDLER = 'index.handler';

/** Modules the nodejs24.x runtime provides; left out of bundles to keep them small. */
export const RUNTIME_PROVIDED_MODULES = ['@aws-sdk/*'] as const;

/** CommonJS dependencies bundled into an ES module still call `require`; this defines it. */
const REQUIRE_SHIM = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** Fails the synth with what to write when the file is missing or exports no `handler` (esbuild would not). */
function checkHandlerFile(entry: string): void {
  if (!existsSync(entry)) throw new HandlerFileError(entry, 'missing');
  const { metafile } = buildSync({
    entryPoints: [entry],
    write: false,
    metafile: true,
    format: 'esm',
    logLevel: 'silent',
  });
  const exported = Object.values(metafile.outputs).flatMap((output) => output.exports);
  if (!exported.includes('handler')) throw new HandlerFileError(entry, 'no-handler-export');
}

/**
 * The directory holding `code` as the bundle file: named by its content's hash under the temp
 * directory, so a synth reuses an identical bundle, concurrent synths never see a half-written one
 * (written aside, then renamed) and nothing accumulates per run.
 */
function bundleDir(code: Uint8Array): string {
  // Per user, and an existing file is used only when it holds these very bytes (a shared temp
  // directory is writable by others).
  const user = process.getuid?.() ?? 'user';
  const dir = path.join(
    tmpdir(),
    `fanout-bundles-${user}`,
    createHash('sha256').update(code).digest('hex').slice(0, 32),
  );
  const file = path.join(dir, BUNDLE_FILE);
  if (existsSync(file) && Buffer.from(code).equals(readFileSync(file))) return dir;
  rmSync(dir, { recursive: true, force: true });
  const building = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}`;
  mkdirSync(building, { recursive: true });
  writeFileSync(path.join(building, BUNDLE_FILE), code);
  try {
    renameSync(building, dir);
  } catch {
    // Another synth renamed the same bundle into place first.
    rmSync(building, { recursive: true, force: true });
  }
  return dir;
}

/**
 * Bundles a handler with the project's own esbuild, in process: the same esbuild and flags as
 * NodejsFunction's local bundling (ESM, node24, minified, no source map, AWS SDK external), without
 * starting `npx esbuild` once per function. Bundled here rather than through the asset's `bundling`
 * option, which prints "Bundling asset …" for every function on every synth; the asset is the bundle's
 * directory, hashed on its content, so an unchanged bundle is not redeployed.
 */
export function bundledHandler(entry: string): lambda.Code {
  checkHandlerFile(entry);
  const dir = path.dirname(entry);
  if (process.env[VERBOSE_BUNDLING_ENV] === '1')
    process.stderr.write(`Bundling ${path.relative(process.cwd(), entry)} with esbuild...\n`);
  const { outputFiles } = buildSync({
    entryPoints: [entry],
    outfile: BUNDLE_FILE,
    write: false,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    sourcemap: false,
    mainFields: ['module', 'main'],
    external: [...RUNTIME_PROVIDED_MODULES],
    banner: { js: REQUIRE_SHIM },
    logLevel: 'warning',
    absWorkingDir: dir,
  });
  return lambda.Code.fromAsset(bundleDir(outputFiles[0]!.contents));
}
