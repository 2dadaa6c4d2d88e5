import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';
import { existsSync } from 'node:fs';
import path from 'node:path';
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
 * Bundles a handler with the project's own esbuild, in process: the same esbuild and flags as
 * NodejsFunction's local bundling (ESM, node24, minified, no source map, AWS SDK external), without
 * starting `npx esbuild` once per function. Hashed on the output, so an unchanged bundle is not redeployed.
 */
export function bundledHandler(entry: string): lambda.Code {
  checkHandlerFile(entry);
  const dir = path.dirname(entry);
  return lambda.Code.fromAsset(dir, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // CDK caches bundles by their options, which cannot see the entry inside tryBundle: name it here.
      environment: { FANOUT_HANDLER_ENTRY: path.relative(process.cwd(), entry) },
      // Never used: local bundling always succeeds or throws. CDK requires an image to be named.
      image: DockerImage.fromRegistry('local-esbuild-only'),
      local: {
        tryBundle(outputDir: string) {
          buildSync({
            entryPoints: [entry],
            outfile: path.join(outputDir, BUNDLE_FILE),
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
          return true;
        },
      },
    },
  });
}
