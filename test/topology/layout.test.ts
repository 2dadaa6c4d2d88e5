import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layout rules of DESIGN.md, checked on the source: each folder's index.ts names its public API
 * (no `export *`), and production code in one folder imports another only through that entry.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const sources = execFileSync('git', ['ls-files', 'topology', 'lib', 'lambdas', 'client', 'local', 'bin'], {
  cwd: ROOT,
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => f.endsWith('.ts') && !f.startsWith('local/console/page/'));

const folderOf = (file: string) =>
  file.startsWith('lambdas/runtime/')
    ? 'lambdas/runtime'
    : file.startsWith('lambdas/handlers/')
      ? 'lambdas/handlers'
      : file.split('/')[0]!;

/** The entry each folder is imported through from other folders. */
const ENTRIES: Record<string, readonly string[]> = {
  topology: ['topology/index.ts', 'topology/runtime.ts'],
  lib: ['lib/index.ts'],
  'lambdas/runtime': ['lambdas/runtime/index.ts'],
  client: ['client/index.ts'],
  // read-assembly.ts: reading cdk.out without loading the emulators (operator tools).
  local: ['local/index.ts', 'local/read-assembly.ts'],
};

/**
 * Imports that bypass an entry on purpose. Event schemas run valibot at module load, so a handler
 * importing them through an entry would carry every schema in its bundle; it imports its own.
 */
const ALLOWED = (from: string, to: string) =>
  (folderOf(from) === 'lambdas/handlers' && to.startsWith('topology/events/')) || false;

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/g;

describe('layout', () => {
  it('index.ts files name their exports (no export *)', () => {
    const offenders = [
      'topology/index.ts',
      'lib/index.ts',
      'lambdas/runtime/index.ts',
      'client/index.ts',
      'local/index.ts',
    ].filter((file) => /export\s+\*/.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('production code imports another folder only through its entry', () => {
    const bypasses: string[] = [];
    for (const file of sources) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const match of text.matchAll(IMPORT)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]!));
        const folder = folderOf(target);
        if (folder === folderOf(file) || !(folder in ENTRIES)) continue;
        if (ENTRIES[folder]!.includes(target) || ALLOWED(file, target)) continue;
        bypasses.push(`${file} → ${target}`);
      }
    }
    expect(bypasses).toEqual([]);
  });

  it('keeps the layering: topology imports nothing of ours, local never imports lib, lambdas only topology/runtime.ts', () => {
    const wrong: string[] = [];
    for (const file of sources) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const match of text.matchAll(IMPORT)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]!));
        const [from, to] = [folderOf(file), folderOf(target)];
        if (from === 'topology' && to !== 'topology') wrong.push(`${file} → ${target}`);
        if (from === 'local' && to === 'lib') wrong.push(`${file} → ${target}`);
        if (from.startsWith('lambdas') && to !== 'topology' && !to.startsWith('lambdas'))
          wrong.push(`${file} → ${target}`);
        if (from.startsWith('lambdas') && to === 'topology' && target === 'topology/index.ts')
          wrong.push(`${file} → ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('client/index.ts exports no internals', async () => {
    const api = Object.keys(await import('../../client/index.ts'));
    for (const internal of [
      'lineRanges',
      'parseEventFile',
      'resolveMessageBody',
      's3FetchObject',
      'storeClaimCheck',
      'Batcher',
    ])
      expect(api).not.toContain(internal);
  });
});
