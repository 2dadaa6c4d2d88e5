/**
 * `npm run bench:scale`: what growth costs — synthesis (bundled, cdk-nag on, as `cdk synth`), local
 * start, start → first message, the time until every consumer has run once, RSS and fan-out
 * deliveries/s for generated topologies of 7, 50 and 200 subscribers on 5 topics (one run each).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { AssetStaging } from 'aws-cdk-lib';
import Table from 'cli-table3';
import { createFanoutApp } from '../lib/app.ts';
import { OutcomeCounter } from '../local/demo/outcome-counter.ts';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { Command } from 'commander';
import { startLocalCloud } from '../local/index.ts';
import { OUTPUT_KEYS } from '../contracts/outputs.ts';
import { SCALE_TOPICS, scaleTopology } from '../test/fixtures/scale-topology.ts';
import { childPids, rssOf } from '../test/support/child-processes.ts';
import { mb, secs } from './local-assembly.ts';
import { handlersOf } from '../test/fixtures/app/handlers.ts';

const opts = new Command('bench:scale')
  .option('--sizes <list>', 'subscriber counts, comma-separated', (v) => v.split(',').map(Number), [7, 50, 200])
  .option('--per-topic <n>', 'messages per topic in the throughput round (each reaches every subscriber)', Number, 20)
  .parse()
  .opts<{ sizes: number[]; perTopic: number }>();
const SIZES = opts.sizes;
const PER_TOPIC = opts.perTopic;

const rss = () => process.memoryUsage().rss + childPids('java').reduce((sum, pid) => sum + rssOf(pid), 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function message(fifo: boolean, id: string) {
  const payload = fifo
    ? { paymentId: id, accountId: `a-${id.length % 7}`, amountCents: 100 }
    : { orderId: id, customerId: 'c', email: 'bench@example.com', items: [{ sku: 's', quantity: 1 }], totalCents: 1 };
  return {
    Id: id.replace(/[^A-Za-z0-9_-]/g, '').slice(-80),
    Message: JSON.stringify(payload),
    MessageAttributes: {
      eventType: { DataType: 'String', StringValue: fifo ? 'FundsCaptured' : 'CartPlaced' },
      idempotencyKey: { DataType: 'String', StringValue: id },
    },
    ...(fifo ? { MessageGroupId: payload.accountId as string, MessageDeduplicationId: id } : {}),
  };
}

async function publishRound(
  sns: import('@aws-sdk/client-sns').SNSClient,
  outputs: Readonly<Record<string, string>>,
  round: string,
  count: number,
) {
  for (const topic of SCALE_TOPICS) {
    const ids = Array.from({ length: count }, (_, i) => `${round}-${topic.name}-${i}`);
    for (let i = 0; i < ids.length; i += 10) {
      const entries = ids.slice(i, i + 10).map((id) => message(topic.fifo, id));
      await sns.send(
        new PublishBatchCommand({
          TopicArn: outputs[OUTPUT_KEYS.topicArn(topic.name)]!,
          PublishBatchRequestEntries: entries,
        }),
      );
    }
  }
}

async function until(check: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await sleep(20);
  return check();
}

const processed = (counter: OutcomeCounter) =>
  counter.consumers().reduce((n, c) => n + (counter.counts(c).processed ?? 0), 0);

/** One DynamoDB Local for every size (as the test suite shares one), so "local start" is the deployment's own cost. */
const jvmStarted = performance.now();
const dynamodb = await startDynamoDbLocal({ port: 0 });
const jvmStartMs = performance.now() - jvmStarted;

async function measure(subscribers: number) {
  const outdir = mkdtempSync(join(tmpdir(), `fanout-scale-${subscribers}-`));
  AssetStaging.clearAssetHashCache();
  const t0 = performance.now();
  const { app, stack } = createFanoutApp({
    handlers: handlersOf(scaleTopology(subscribers)),
    topology: scaleTopology(subscribers),
    context: { stage: 'dev', 'aws:cdk:enable-asset-metadata': true },
    nag: true,
    outdir,
    cloudFormationValidation: false,
  });
  app.synth();
  const synthMs = performance.now() - t0;
  const stacks = 1 + stack.shards.nested().length;
  const counter = new OutcomeCounter();
  const started = performance.now();
  const cloud = await startLocalCloud({
    assemblyDir: outdir,
    stackName: 'scale-dev',
    timeScale: 60,
    onLog: counter.onLog,
    dynamodb: { endpoint: dynamodb.endpoint },
  });
  const upMs = performance.now() - started;
  await publishRound(cloud.clients.sns, cloud.outputs, 'first', 1);
  await until(() => counter.firstOutcomeAt !== undefined, 120_000);
  const firstMessageMs = counter.firstOutcomeAt! - started;
  const everyConsumer = await until(() => counter.consumers().length >= subscribers, 600_000);
  const allRanMs = performance.now() - started;
  const rssWarm = rss();
  let peakRss = rssWarm;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rss())), 250);
  const before = processed(counter);
  const expected = before + PER_TOPIC * subscribers;
  const t1 = performance.now();
  await publishRound(cloud.clients.sns, cloud.outputs, 'load', PER_TOPIC);
  await until(() => processed(counter) >= expected, 600_000);
  const fanoutMs = performance.now() - t1;
  clearInterval(sampler);
  const delivered = processed(counter) - before;
  await cloud.stop();
  rmSync(outdir, { recursive: true, force: true });
  return {
    subscribers,
    stacks,
    synthMs,
    upMs,
    firstMessageMs,
    allRanMs: everyConsumer ? allRanMs : Number.NaN,
    rssWarm,
    peakRss,
    delivered,
    fanoutMs,
  };
}

const rows = [];
for (const size of SIZES) {
  rows.push(await measure(size));
  console.error(`measured ${size} subscribers`);
}
await dynamodb.stop();
const table = new Table({
  head: [
    'subscribers',
    'stacks',
    'synth (bundled, cdk-nag)',
    'local start (DynamoDB Local running)',
    'start → first message',
    'start → every consumer ran once',
    'RSS warm / peak (Node + JVM)',
    `deliveries/s (${PER_TOPIC} per topic)`,
  ],
});
for (const r of rows) {
  table.push([
    r.subscribers,
    r.stacks,
    secs(r.synthMs),
    secs(r.upMs),
    secs(r.firstMessageMs),
    Number.isNaN(r.allRanMs) ? 'timed out' : secs(r.allRanMs),
    `${mb(r.rssWarm)} / ${mb(r.peakRss)}`,
    `${Math.round(r.delivered / (r.fanoutMs / 1000))}/s (${r.delivered} processed in ${secs(r.fanoutMs)})`,
  ]);
}
console.log(table.toString());
console.log(
  `DynamoDB Local (JVM) start, once for all sizes: ${secs(jvmStartMs)}. Load average during the run: ${(
    await import('node:os')
  )
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')} (1/5/15 min).`,
);
console.log('Goals: 200 subscribers synthesize in ≤ 30 s and start locally in ≤ 10 s on 2 cores.');
