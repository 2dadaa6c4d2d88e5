import { synthShop } from './shop-cloud.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The README's first command, on the reference stack (synthesized apart, so no other test's cdk.out
// is touched): every check of the demo passes and the process exits 0.
describe('npm start -- --once', () => {
  it('runs the demo traffic through the reference stack and reports every check passed', async () => {
    const { assemblyDir } = synthShop();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'bin/start.ts',
        '--once',
        '--port',
        '0',
        '--no-console',
        '--no-synth',
        '--assembly',
        assemblyDir,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    expect(stdout).toContain('Result: OK — every check passed.');
    expect(stdout).toContain('All queues drained.');
  }, 120_000);
});
