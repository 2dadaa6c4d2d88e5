import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { initApp } from '../../client/cli/init/init-command.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface WatchSettings {
  readonly include: readonly string[];
  readonly exclude?: readonly string[];
}

/** The exclusions the CDK CLI adds to cdk.json's own (the output folder, dot files, node_modules). */
const CDK_EXCLUDES = ['cdk.out/**', '**/.*', '**/.*/**', '**/node_modules/**'];

/** Whether `cdk watch` with `settings` redeploys when `file` (relative to the app) changes. */
const watched = (settings: WatchSettings, file: string) =>
  settings.include.some((glob) => path.matchesGlob(file, glob)) &&
  ![...(settings.exclude ?? []), ...CDK_EXCLUDES].some((glob) => path.matchesGlob(file, glob));

const watchSettings = (dir: string) =>
  (JSON.parse(readFileSync(path.join(dir, 'cdk.json'), 'utf8')) as { watch: WatchSettings }).watch;

/** The app's own files a synth reads: what the CDK app imports, and each handler with its imports. */
async function synthInputs(entries: readonly string[]): Promise<string[]> {
  const { metafile } = await build({
    entryPoints: entries.map((e) => path.join(ROOT, e)),
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    outdir: 'out',
    logLevel: 'silent',
    // Packages stay out (the `fanout/…` paths of tsconfig.json still resolve to the sources).
    packages: 'external',
    absWorkingDir: ROOT,
  });
  return Object.keys(metafile.inputs).filter((file) => !file.startsWith('node_modules/'));
}

describe("cdk.json's watch settings", () => {
  it('this repository: every file the synth reads is watched; tests, docs and the demo are not', async () => {
    const settings = watchSettings(ROOT);
    const handlers = readdirSync(path.join(ROOT, 'examples/shop/handlers')).map((f) => `examples/shop/handlers/${f}`);
    const inputs = await synthInputs(['bin/app.ts', ...handlers]);
    expect(inputs.length).toBeGreaterThan(20);
    expect(inputs.filter((file) => !watched(settings, file))).toEqual([]);
    expect(watched(settings, 'fanout.placement.json')).toBe(true);
    const notDeployed = [
      'examples/shop/test/local/shop-cloud.ts',
      'examples/shop/demo/run-demo.ts',
      'examples/shop/README.md',
      'test/local/watch.test.ts',
      'docs/local-cloud.md',
      'cdk.out/manifest.json',
      '.fanout/local.json',
      'dist/lib/index.js',
    ];
    expect(notDeployed.filter((file) => watched(settings, file))).toEqual([]);
  });

  it('an app from fanout init: its CDK entry, topology, events and handlers, nothing else it writes', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'fanout-init-watch-')), 'app');
    const files = initApp(dir);
    expect(files.filter((file) => watched(watchSettings(dir), file)).sort()).toEqual([
      'bin/app.ts',
      'events.ts',
      'handlers/balances.ts',
      'handlers/welcome.ts',
      'topology.ts',
    ]);
    expect(watched(watchSettings(dir), '.fanout/local.status.json')).toBe(false);
  });
});
