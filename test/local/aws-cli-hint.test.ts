import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { synthFixture } from './fixtures/fixture-app.ts';

const ROOT = join(import.meta.dirname, '../..');

/** aws-cli on PATH, or why not. */
const awsCli = await promisify(execFile)('aws', ['--version']).then(
  () => undefined,
  (error: Error) => `aws-cli is not on PATH (${error.message})`,
);
if (awsCli && process.env.CI === 'true') throw new Error(`aws-cli hint test needs aws-cli under CI: ${awsCli}`);
if (awsCli) console.log(`aws-cli-hint.test: skipped, ${awsCli}`);

/**
 * `fanout start` in a directory without fanout.config.ts (so no demo: the "how to publish" lines),
 * until it prints its aws-cli hint; then `use` gets every line printed so far.
 */
async function withStart(extra: string[], use: (lines: string[]) => Promise<void>): Promise<void> {
  const assemblyDir = synthFixture('AwsHint', (stack) => void new Topic(stack, 'Orders', { topicName: 'orders' }));
  const child = spawn(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      join(ROOT, 'bin/start.ts'),
      '--port',
      '0',
      '--no-synth',
      '--assembly',
      assemblyDir,
      '--stack',
      'AwsHint',
      ...extra,
    ],
    { cwd: mkdtempSync(join(tmpdir(), 'fanout-hint-')), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  try {
    for await (const line of createInterface({ input: child.stdout! })) {
      lines.push(line);
      if (line.includes('Try: ')) break;
    }
    await use(lines);
  } finally {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
}

/** The environment of a shell with no AWS settings of its own (no AWS_* variables, no ~/.aws). */
function bareEnvironment(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return { ...env, HOME: mkdtempSync(join(tmpdir(), 'fanout-home-')) };
}

describe.skipIf(awsCli)('the aws-cli hint `fanout start` prints', () => {
  it('works as printed: the export line, then the command, lists the stack’s topics', async () => {
    await withStart([], async (lines) => {
      const exports = lines.find((l) => l.trim().startsWith('export AWS_'))!.trim();
      expect(exports).toMatch(
        /AWS_REGION=us-east-1 .*AWS_ACCESS_KEY_ID=\S+ AWS_SECRET_ACCESS_KEY=\S+ AWS_ENDPOINT_URL=/,
      );
      const command = lines.at(-1)!.slice('Try: '.length);
      const { stdout } = await promisify(execFile)('sh', ['-c', `${exports}; ${command}`], { env: bareEnvironment() });
      expect((JSON.parse(stdout) as { Topics: { TopicArn: string }[] }).Topics.map((t) => t.TopicArn)).toEqual([
        'arn:aws:sns:us-east-1:000000000000:orders',
      ]);
    });
  }, 120_000);
});

describe('fanout start --host', () => {
  it('says in one line what listening on every interface exposes', async () => {
    await withStart(['--host', '--no-console'], async (lines) => {
      const exposed = lines.filter((l) => l.startsWith('--host: '));
      expect(exposed).toHaveLength(1);
      expect(exposed[0]).toMatch(
        /^--host: listening on every interface, ports \d+ \(SNS\/SQS\/S3\), \d+ \(DynamoDB\): anyone who can reach this machine can publish, read and purge queues, and read and write tables, with no credentials checked\.$/,
      );
    });
  }, 120_000);
});
