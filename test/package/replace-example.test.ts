import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { initApp } from '../../client/cli/init/init-command.ts';
import { REPO, scratch, sh } from './support/packed.ts';

// A team that takes this repository and replaces the shop example with its own app keeps a green
// framework suite: here the example is swapped for another app (the one `fanout init` writes) in a
// copy of the repository, and the framework and its tests still type-check and run.
const copy = scratch('replaced-example');
afterAll(() => rmSync(copy, { recursive: true, force: true }));

it('replacing the shop example leaves the framework tests compiling and passing', { timeout: 300_000 }, async () => {
  const tracked = execFileSync('git', ['ls-files'], { cwd: REPO, encoding: 'utf8' }).trim().split('\n');
  for (const file of tracked.filter((f) => !f.startsWith('examples/'))) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(REPO, file), join(copy, file));
  }
  symlinkSync(join(REPO, 'node_modules'), join(copy, 'node_modules'));
  initApp(join(copy, 'examples', 'shop'));
  // The layout test reads the tracked files, as in a clone.
  await sh(copy, 'git', ['init', '-q']);
  await sh(copy, 'git', ['add', '-A']);
  writeFileSync(
    join(copy, 'tsconfig.framework.json'),
    JSON.stringify({
      extends: './tsconfig.json',
      include: ['topology', 'contracts', 'assembly', 'lib', 'lambdas', 'client', 'local', 'console', 'testing', 'test'],
    }),
  );
  await sh(copy, 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.framework.json']);
  const run = await sh(copy, 'npx', ['vitest', 'run', 'test/topology', 'test/lib/synth-errors.test.ts']);
  expect(run.stdout).toMatch(/Tests\s+.*passed/);
  expect(run.stdout).not.toMatch(/failed/);
});
