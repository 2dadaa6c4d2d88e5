import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { synthFixture } from './fixtures/fixture-app.ts';

describe('npm start on a machine without Java', () => {
  it('fails with one line naming the install command, no stack trace', async () => {
    const assemblyDir = synthFixture('NoJava', (stack) => void new Queue(stack, 'Queue'));
    const run = promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'bin/start.ts',
        '--once',
        '--port',
        '0',
        '--no-console',
        '--no-demo',
        '--no-synth',
        '--assembly',
        assemblyDir,
        '--stack',
        'NoJava',
      ],
      { env: { ...process.env, PATH: '/nonexistent' } },
    );
    const failed = await run.then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr.trim()).toBe(
      "DynamoDB Local 3.3.1 needs Java 17+ and 'java' is not on PATH. Fix: install Java 17+ (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless) and run again.",
    );
  });
});
