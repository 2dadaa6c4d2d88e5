import { execFile } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// `npx fanout …` run by the machine's npm (often on a Node older than the project's 24) prints the
// command's output and nothing else: no engine warnings before it.
const ROOT = join(import.meta.dirname, '../..');
const withoutProjectBin = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((dir) => !dir.includes('node_modules'))
  .join(delimiter);

describe('npx fanout', () => {
  it('prints its help and no npm warnings, whatever Node runs npm', async () => {
    const { stdout, stderr } = await promisify(execFile)('npx', ['--no-install', 'fanout', '--help'], {
      cwd: ROOT,
      env: { ...process.env, PATH: withoutProjectBin, NO_COLOR: '1' },
    });
    expect(stdout).toMatch(/^Usage: fanout/);
    expect(stderr).toBe('');
  });
});
