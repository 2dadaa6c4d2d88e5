import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileChanges, sourceFolders } from '../../local/watch/file-changes.ts';

let changes: FileChanges | undefined;
afterEach(() => changes?.close());

/** Watches a fresh app folder; resolves each save's files, in order. */
function watchApp() {
  const dir = mkdtempSync(join(tmpdir(), 'fanout-file-changes-'));
  writeFileSync(join(dir, 'topology.ts'), 'export {};\n');
  const saves: string[][] = [];
  const waiters: (() => void)[] = [];
  changes = new FileChanges((files) => {
    saves.push([...files].map((f) => f.slice(dir.length + 1)).sort());
    waiters.shift()?.();
  });
  for (const folder of sourceFolders(dir)) changes.add(folder);
  const nextSave = () => new Promise<string[]>((resolve) => waiters.push(() => resolve(saves.at(-1)!)));
  return { dir, nextSave };
}

describe('FileChanges', () => {
  it('watches a folder made after it started: its files as they are, and later edits to them', async () => {
    const { dir, nextSave } = watchApp();
    const made = nextSave();
    mkdirSync(join(dir, 'events', 'v2'), { recursive: true });
    writeFileSync(join(dir, 'events', 'v2', 'order.ts'), 'export const a = 1;\n');
    expect(await made).toContain(join('events', 'v2', 'order.ts'));

    const edited = nextSave();
    writeFileSync(join(dir, 'events', 'v2', 'order.ts'), 'export const a = 2;\n');
    expect(await edited).toEqual([join('events', 'v2', 'order.ts')]);
  });

  it('leaves folders that are not sources alone (node_modules, dot folders)', async () => {
    const { dir, nextSave } = watchApp();
    mkdirSync(join(dir, 'node_modules', 'pkg'), { recursive: true });
    mkdirSync(join(dir, '.cache'));
    writeFileSync(join(dir, 'node_modules', 'pkg', 'index.js'), 'x\n');
    writeFileSync(join(dir, '.cache', 'a.ts'), 'x\n');
    const edited = nextSave();
    writeFileSync(join(dir, 'topology.ts'), 'export const b = 1;\n');
    expect(await edited).toEqual(['topology.ts']);
  });
});

describe('FileChanges, folders that come and go', () => {
  it('survives a folder that vanishes before it can be read', async () => {
    const { dir, nextSave } = watchApp();
    for (let i = 0; i < 20; i++) {
      mkdirSync(join(dir, `tmp${i}`));
      rmSync(join(dir, `tmp${i}`), { recursive: true });
    }
    const edited = nextSave();
    writeFileSync(join(dir, 'topology.ts'), 'export const c = 1;\n');
    expect(await edited).toEqual(['topology.ts']);
  });
});
