import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledHandler } from '../../lib/bundler.ts';
import { handlerResolver } from '../../lib/handler-files.ts';

// A topology mistake at synth prints the message that names the element, the rule and the fix, and
// exits 1: no stack trace, no object dump after it.
const APP = join(import.meta.dirname, 'fixtures/bad-topology-app.ts');
const outdir = mkdtempSync(join(tmpdir(), 'fanout-synth-errors-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

async function synth(problem: string): Promise<{ code: number; stderr: string }> {
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', APP, problem, outdir], { env: process.env });
    return { code: 0, stderr: '' };
  } catch (error) {
    const { code, stderr } = error as { code: number; stderr: string };
    return { code, stderr };
  }
}

describe('synth errors', () => {
  it('prints a topology rule broken, alone, and exits 1', async () => {
    const { code, stderr } = await synth('invalid-range');
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      "Topology 'fanout' has 1 problem:",
      "  - subscription 'orders/inventory': maxReceiveCount must be an integer from 1 to 1000 (given 0). Fix: set maxReceiveCount within that range.",
    ]);
  }, 60_000);

  it('says which handler file to create and what it must export', async () => {
    const { code, stderr } = await synth('missing-handler');
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('Consumer handler test/fixtures/handlers/not-written-yet.ts does not exist');
    expect(stderr).toContain('Fix: create test/fixtures/handlers/not-written-yet.ts exporting `handler`');
    expect(stderr).not.toContain('Could not resolve');
  }, 60_000);
});

describe('handlerResolver', () => {
  it("names the missing file in the app's handler folder and offers the closest existing handler", () => {
    const resolve = handlerResolver(join(import.meta.dirname, 'fixtures'));
    expect(() => resolve('handler-without-exprt')).toThrow(
      "Consumer handler test/lib/fixtures/handler-without-exprt.ts does not exist: the topology names it as a consumer's handler. Did you mean 'handler-without-export'?",
    );
  });

  it('finds a handler by the map given for it', () => {
    const file = join(import.meta.dirname, 'fixtures/handler-without-export.ts');
    expect(handlerResolver({ billing: file })('billing')).toBe(file);
    expect(() => handlerResolver({ billing: file })('biling')).toThrow("Did you mean 'billing'?");
  });
});

describe('bundledHandler', () => {
  it('refuses a handler file that exports no `handler`, naming the export to add', () => {
    const entry = join(import.meta.dirname, 'fixtures/handler-without-export.ts');
    expect(() => bundledHandler(entry)).toThrow(
      'Consumer handler test/lib/fixtures/handler-without-export.ts does not export `handler`: Lambda calls index.handler. ' +
        'Fix: add `export const handler = defineConsumer({ events, handlers })` to test/lib/fixtures/handler-without-export.ts.',
    );
  });
});
