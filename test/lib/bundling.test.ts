import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FIXTURE_HANDLERS } from '../fixtures/app/handlers.ts';
import { EXPECTED_ENDPOINTS, PREFIX } from './support/expected.ts';
import { VERBOSE_BUNDLING_ENV } from '../../contracts/synth-env.ts';
import { synthesize } from './support/synth.ts';
import { findBy } from './support/template-helpers.ts';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
// Inside the project (git-ignored) so that the bundles resolve the runtime-provided AWS SDK from node_modules.
fs.mkdirSync(path.join(PROJECT_ROOT, '.vitest'), { recursive: true });
const outdir = fs.mkdtempSync(path.join(PROJECT_ROOT, '.vitest', 'bundles-'));
/**
 * A handler folder with a file per consumer, each re-exporting the fixture handler under a marker of
 * its own, so that every consumer's bundle differs (identical bundles would share one asset).
 */
const handlerDir = fs.mkdtempSync(path.join(PROJECT_ROOT, '.vitest', 'handlers-'));
for (const [name, file] of Object.entries(FIXTURE_HANDLERS)) {
  fs.writeFileSync(
    path.join(handlerDir, `${name}.ts`),
    `export { handler } from ${JSON.stringify(file)};\nexport const consumer = ${JSON.stringify(name)};\n`,
  );
}
let template: Template;
/** What the synth wrote to stderr. */
const stderr: string[] = [];

/** Runs `body` with stderr captured into `into`. */
function capturingStderr<T>(into: string[], body: () => T): T {
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    into.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    return body();
  } finally {
    process.stderr.write = write;
  }
}

beforeAll(() => {
  template = capturingStderr(stderr, () => synthesize('dev', { bundle: true, outdir, handlers: handlerDir }).template);
});
afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.rmSync(handlerDir, { recursive: true, force: true });
});

/** The cdk.out directory of a consumer's code asset, from the function's asset metadata. */
function assetDir(endpoint: string): string {
  const [, fn] = findBy(template, 'AWS::Lambda::Function', 'FunctionName', `${PREFIX}-${endpoint}`);
  return path.join(outdir, (fn as unknown as { Metadata: Record<string, string> }).Metadata['aws:asset:path']!);
}

it('bundles quietly: no "Bundling asset" line per function', () => {
  expect(stderr.filter((line) => /bundling/i.test(line))).toEqual([]);
});

it(`prints one line per bundled handler with ${VERBOSE_BUNDLING_ENV}=1 (fanout start --verbose)`, () => {
  const verbose: string[] = [];
  const dir = fs.mkdtempSync(path.join(PROJECT_ROOT, '.vitest', 'bundles-'));
  process.env[VERBOSE_BUNDLING_ENV] = '1';
  try {
    capturingStderr(verbose, () => synthesize('dev', { bundle: true, outdir: dir, handlers: handlerDir }));
  } finally {
    delete process.env[VERBOSE_BUNDLING_ENV];
    fs.rmSync(dir, { recursive: true, force: true });
  }
  expect(verbose.filter((line) => /^Bundling .+ with esbuild\.\.\.\n$/.test(line))).toHaveLength(
    EXPECTED_ENDPOINTS.length,
  );
});

it('bundles each consumer into its own asset: one minified ES module and its source map, no sources, no paths of this machine', () => {
  const dirs = EXPECTED_ENDPOINTS.map((e) => assetDir(e.name));
  expect(new Set(dirs).size).toBe(EXPECTED_ENDPOINTS.length);
  for (const dir of dirs) {
    expect(fs.readdirSync(dir)).toEqual(['index.mjs', 'index.mjs.map']);
    expect(fs.readFileSync(path.join(dir, 'index.mjs'), 'utf8')).toMatch(/\n\/\/# sourceMappingURL=index\.mjs\.map\n$/);
    const map = JSON.parse(fs.readFileSync(path.join(dir, 'index.mjs.map'), 'utf8')) as Record<string, unknown>;
    expect(map.sourcesContent).toBeUndefined();
    expect((map.sources as string[]).filter((s) => path.isAbsolute(s) || s.includes(PROJECT_ROOT))).toEqual([]);
  }
});

it('keeps CDK and the AWS SDK out of the bundles', () => {
  for (const e of EXPECTED_ENDPOINTS) {
    const code = fs.readFileSync(path.join(assetDir(e.name), 'index.mjs'), 'utf8');
    expect(code, e.name).not.toContain('aws-cdk-lib');
    expect(code, e.name).toMatch(/from\s*"@aws-sdk\/client-dynamodb"/);
  }
});

it('produces modules Lambda can load: each exports the handler named in the template', async () => {
  for (const e of EXPECTED_ENDPOINTS) {
    const [, fn] = findBy(template, 'AWS::Lambda::Function', 'FunctionName', `${PREFIX}-${e.name}`);
    expect(fn.Properties.Handler).toBe('index.handler');
    // The bundle's path is known only once it is built: a dynamic import is the only way to load it.
    const mod = (await import(pathToFileURL(path.join(assetDir(e.name), 'index.mjs')).href)) as {
      handler?: unknown;
      consumer?: unknown;
    };
    expect(typeof mod.handler, e.name).toBe('function');
    // The asset is built from this consumer's own handler file (each endpoint's handler is named after it).
    expect(mod.consumer, e.name).toBe(e.name);
  }
});
