/**
 * `npm run bench:watch [-- --edits N]`: the edit loop on this machine. Saves a handler N times under
 * `fanout start --watch` and measures save → the next invocation running the new code (publish as
 * soon as the reload line is printed); the baseline, in the same run, is the loop without a watch:
 * Ctrl-C, `fanout start` again (re-synth, local cloud up), publish, the first invocation. Both run
 * the CLI in a throwaway app (the fixture topology, its warehouse handler a file of its own).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ListTopicsCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { Command } from 'commander';
import { comparisonTable, type Comparison, loadAverage } from './local-baseline.ts';

const opts = new Command('bench:watch')
  .option('--edits <n>', 'handler saves under --watch (the median is reported)', Number, 7)
  .option('--restarts <n>', 'restarts without --watch (the median is reported)', Number, 3)
  .parse()
  .opts<{ edits: number; restarts: number }>();

const ROOT = resolve(import.meta.dirname, '..');
const at = (path: string) => JSON.stringify(join(ROOT, path));
mkdirSync(join(ROOT, '.vitest'), { recursive: true });
const appDir = mkdtempSync(join(ROOT, '.vitest', 'bench-watch-'));
const handlerFile = join(appDir, 'handlers', 'warehouse.ts');

const handlerSource = (version: string) => `import { defineConsumer } from ${at('lambdas/runtime/index.ts')};
import { CartPlaced } from ${at('test/fixtures/app/events.ts')};

export const handler = defineConsumer({
  events: { CartPlaced },
  handlers: { CartPlaced: async (order) => console.log('warehouse ${version} handled ' + order.orderId) },
});
`;

function writeApp(): void {
  mkdirSync(join(appDir, 'handlers'));
  writeFileSync(handlerFile, handlerSource('v0'));
  writeFileSync(join(appDir, 'cdk.json'), `${JSON.stringify({ app: 'npx tsx app.ts', notices: false })}\n`);
  writeFileSync(
    join(appDir, 'fanout.config.ts'),
    `import { fixtureTopology } from ${at('test/fixtures/app/topology.ts')};\nexport default { topology: fixtureTopology };\n`,
  );
  writeFileSync(
    join(appDir, 'app.ts'),
    `import { synthesizeOrExplain } from ${at('lib/app.ts')};
import { handlersOf } from ${at('test/fixtures/app/handlers.ts')};
import { fixtureTopology } from ${at('test/fixtures/app/topology.ts')};

synthesizeOrExplain({
  topology: fixtureTopology,
  handlers: { ...handlersOf(fixtureTopology), warehouse: ${JSON.stringify(handlerFile)} },
  cloudFormationValidation: false,
});
`,
  );
}

/** A `fanout start` in the app, its printed lines awaited one pattern at a time. */
class Start {
  readonly child: ChildProcess;
  readonly #waiting = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  readonly lines: string[] = [];

  constructor(extra: readonly string[]) {
    const args = ['--import', import.meta.resolve('tsx'), join(ROOT, 'bin/start.ts'), '--port', '0'];
    this.child = spawn(process.execPath, [...args, '--no-demo', '--no-console', ...extra], {
      cwd: appDir,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      for (const waiter of this.#waiting)
        if (waiter.pattern.test(line)) {
          this.#waiting.delete(waiter);
          waiter.resolve(line);
        }
    });
  }

  /** The next line matching `pattern` (subscribe before the action that prints it). */
  next(pattern: RegExp): Promise<string> {
    return new Promise((resolve) => this.#waiting.add({ pattern, resolve }));
  }

  async stop(): Promise<void> {
    const exited = once(this.child, 'exit');
    this.child.kill('SIGINT');
    await exited;
  }
}

/** Publishes one CartPlaced to the running cloud's orders topic. */
async function placeCart(endpointLine: string, orderId: string): Promise<void> {
  const endpoint = endpointLine.split(' : ')[1]!.trim();
  const sns = new SNSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const { Topics = [] } = await sns.send(new ListTopicsCommand({}));
  await sns.send(
    new PublishCommand({
      TopicArn: Topics.find((t) => t.TopicArn!.endsWith(':fanout-dev-orders'))!.TopicArn,
      Message: JSON.stringify({
        orderId,
        customerId: 'c',
        email: 'c@example.com',
        items: [{ sku: 's', quantity: 1 }],
        totalCents: 1,
      }),
      MessageAttributes: {
        eventType: { DataType: 'String', StringValue: 'CartPlaced' },
        idempotencyKey: { DataType: 'String', StringValue: orderId },
      },
    }),
  );
  sns.destroy();
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Up and serving: the endpoint line, once the "Serving" line is printed. */
async function serving(start: Start): Promise<string> {
  await start.next(/^Serving until Ctrl-C/);
  return start.lines.find((l) => l.includes('SNS / SQS / S3 :'))!;
}

/** The loop without a watch: save, Ctrl-C, start again (re-synth), publish, the new code's first invocation. */
async function restarts(): Promise<number[]> {
  const times: number[] = [];
  let start = new Start([]);
  await serving(start);
  for (let i = 1; i <= opts.restarts; i++) {
    const saved = performance.now();
    writeFileSync(handlerFile, handlerSource(`r${i}`));
    await start.stop();
    start = new Start([]);
    const endpoint = await serving(start);
    const handled = start.next(new RegExp(`warehouse r${i} handled restart-${i}`));
    await placeCart(endpoint, `restart-${i}`);
    await handled;
    times.push(performance.now() - saved);
  }
  await start.stop();
  return times;
}

/** The loop under --watch: save, the reload line, publish, the new code's first invocation. */
async function watchedEdits(): Promise<{ toInvocation: number[]; toReload: number[]; publishToHandled: number[] }> {
  const start = new Start(['--watch']);
  const endpoint = await serving(start);
  const toInvocation: number[] = [];
  const toReload: number[] = [];
  const publishToHandled: number[] = [];
  for (let i = 1; i <= opts.edits; i++) {
    const reloaded = start.next(/^reloaded warehouse in \d+ ms$/);
    const handled = start.next(new RegExp(`warehouse w${i} handled edit-${i}`));
    const saved = performance.now();
    writeFileSync(handlerFile, handlerSource(`w${i}`));
    await reloaded;
    const swapped = performance.now();
    toReload.push(swapped - saved);
    await placeCart(endpoint, `edit-${i}`);
    await handled;
    toInvocation.push(performance.now() - saved);
    publishToHandled.push(performance.now() - swapped);
  }
  await start.stop();
  return { toInvocation, toReload, publishToHandled };
}

const load = { before: loadAverage(), after: [] as number[] };
writeApp();
try {
  console.log(`the app: ${appDir}; ${opts.restarts} restarts, then ${opts.edits} saves under --watch…`);
  const restart = median(await restarts());
  const watched = await watchedEdits();
  load.after = loadAverage();
  const ms = (n: number) => `${Math.round(n)} ms`;
  const rows: Comparison[] = [
    {
      metric: `save → next invocation on the new code (median of ${opts.edits} / ${opts.restarts})`,
      baseline: restart,
      now: median(watched.toInvocation),
      format: ms,
      goal: { atMost: 1_000 },
    },
    {
      metric: '  save → code swapped (reload line)',
      baseline: undefined,
      now: median(watched.toReload),
      format: ms,
    },
    {
      metric: '  reload line → publish → handled by the new code',
      baseline: undefined,
      now: median(watched.publishToHandled),
      format: ms,
    },
  ];
  console.log(comparisonTable('restart: Ctrl-C + start', rows, load));
  console.log(`under --watch, each save (ms): ${watched.toInvocation.map(Math.round).join(', ')}`);
} finally {
  rmSync(appDir, { recursive: true, force: true });
}
