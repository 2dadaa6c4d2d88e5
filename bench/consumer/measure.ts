import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** Bundles land inside the repo so SDK-external bundles resolve @aws-sdk/* from node_modules. */
const OUT_DIR = join(process.cwd(), 'node_modules', '.cache', 'fanout-bench');

export interface BundleSize {
  readonly file: string;
  readonly bytes: number;
}

/**
 * A minified ESM bundle of `entry`, the way lib/bundler.ts builds consumers for nodejs24.x:
 * with `@aws-sdk/*` external (the Lambda runtime provides SDK v3) or with the SDK bundled in.
 */
export async function bundle(entry: string, name: string, sdkExternal: boolean): Promise<BundleSize> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    external: sdkExternal ? ['@aws-sdk/*'] : [],
    banner: { js: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" },
    write: false,
    logLevel: 'error',
  });
  const contents = result.outputFiles[0]!.contents;
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, `${name}${sdkExternal ? '' : '-with-sdk'}.mjs`);
  writeFileSync(file, contents);
  return { file, bytes: contents.length };
}

/**
 * Median milliseconds to import each bundle in a fresh Node process (module init, no invocation).
 * The bundles' runs are interleaved so a burst of load on the machine hits both alike.
 */
export function initTimesMs(files: readonly string[], runs = 7): number[] {
  const times: number[][] = files.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [index, file] of files.entries()) times[index]!.push(importTime(file));
  }
  return times.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!);
}

function importTime(file: string): number {
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});process.stdout.write(String(performance.now()-t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, AWS_REGION: 'us-east-1', FANOUT_TABLE_LEDGER: 'ledger' },
    encoding: 'utf8',
  });
  return Number(out);
}
