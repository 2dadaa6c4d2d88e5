import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { bundleDirectory, bundleOptions, VERBOSE_BUNDLING_ENV } from '../contracts/index.ts';
import { HandlerFileError } from './errors.ts';

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
 * Bundles a handler with the project's own esbuild, in process: the same esbuild and flags as
 * NodejsFunction's local bundling (ESM, node24, minified, no source map, AWS SDK external), without
 * starting `npx esbuild` once per function. Bundled here rather than through the asset's `bundling`
 * option, which prints "Bundling asset …" for every function on every synth; the asset is the bundle's
 * directory, hashed on its content, so an unchanged bundle is not redeployed.
 */
export function bundledHandler(entry: string): lambda.Code {
  checkHandlerFile(entry);
  if (process.env[VERBOSE_BUNDLING_ENV] === '1')
    process.stderr.write(`Bundling ${path.relative(process.cwd(), entry)} with esbuild...\n`);
  const { outputFiles } = buildSync(bundleOptions(entry));
  return lambda.Code.fromAsset(bundleDirectory(outputFiles));
}
