import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createFanoutApp } from '../../lib/app.ts';
import { referenceTopology } from '../../topology/reference.ts';

// The README's first command, on the reference stack (synthesized apart, so no other test's cdk.out
// is touched): every check of the demo passes and the process exits 0.
describe('npm start -- --once', () => {
  it('runs the demo traffic through the reference stack and reports every check passed', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'fanout-quick-start-'));
    createFanoutApp({ topology: referenceTopology, outdir, nag: false, cloudFormationValidation: false }).app.synth();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bin/start.ts', '--once', '--port', '0', '--no-console', '--no-synth', '--assembly', outdir],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    expect(stdout).toContain('Result: OK — every check passed.');
    expect(stdout).toContain('All queues drained.');
  }, 120_000);
});
