import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';
import { handlersOf } from '../fixtures/app/handlers.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { synthApp } from '../support/fixture-app.ts';

const ROOT = join(import.meta.dirname, '../..');
const RUNTIME = join(ROOT, 'lambdas/runtime/index.ts');
const EVENTS = join(ROOT, 'test/fixtures/app/events.ts');

const warehouseHandler = (body: string) => `import { defineConsumer } from '${RUNTIME}';
import { CartPlaced } from '${EVENTS}';

export const handler = defineConsumer({ events: { CartPlaced }, handlers: { CartPlaced: async () => ${body} } });
`;

it('fanout start --watch prints one line per reload, and a failed rebuild with its file and line', async () => {
  const appDir = mkdtempSync(join(tmpdir(), 'fanout-watch-cli-'));
  const handlerFile = join(appDir, 'handlers', 'warehouse.ts');
  mkdirSync(join(appDir, 'handlers'));
  writeFileSync(handlerFile, warehouseHandler('undefined'));
  const { assemblyDir, stackName } = synthApp(fixtureTopology, {
    ...handlersOf(fixtureTopology),
    warehouse: handlerFile,
  });
  const child = spawn(
    process.execPath,
    [
      ...['--import', import.meta.resolve('tsx'), join(ROOT, 'bin/start.ts'), '--watch', '--port', '0'],
      ...['--no-synth', '--assembly', assemblyDir, '--stack', stackName, '--no-console'],
    ],
    { cwd: appDir, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const nextLine = async (pattern: RegExp) => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error(`fanout start exited before printing ${pattern}`);
      if (pattern.test(value)) return value;
    }
  };
  try {
    expect(await nextLine(/^Watching /)).toBe(
      'Watching . (2 handler files): a saved handler reloads in place; other changes re-synthesize.',
    );
    await nextLine(/^Serving until Ctrl-C/);
    writeFileSync(handlerFile, warehouseHandler("console.log('edited')"));
    await nextLine(/^reloaded warehouse in \d+ ms$/);
    writeFileSync(handlerFile, warehouseHandler('{'));
    expect(await nextLine(/^reload failed: /)).toMatch(
      /^reload failed: .*handlers\/warehouse\.ts:\d+:\d+: .+; still running the previous code$/,
    );
  } finally {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
}, 180_000);
