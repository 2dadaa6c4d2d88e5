/**
 * `npm run bench:local`: start-to-first-message, whole `npm start --once`, fan-out deliveries per
 * second and RSS of the embedded local cloud (this process + its DynamoDB Local JVM), next to the
 * goals and the LocalStack anchor.
 */
import { spawnSync } from 'node:child_process';
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import Table from 'cli-table3';
import { OutcomeCounter } from '../local/demo/outcome-counter.ts';
import { startLocalCloud } from '../local/index.ts';
import { childPids, rssOf } from '../test/support/child-processes.ts';
import { OUTPUT_KEYS } from '../topology/outputs.ts';
import { mb, referenceAssembly, secs } from './local-assembly.ts';
import { synthNoopFanout } from './local-noop-stack.ts';

const FANOUT_ORDERS = Number(process.argv.find((a) => a.startsWith('--orders='))?.split('=')[1] ?? 2_000);
const SUBSCRIBERS_PER_PLACED_ORDER = 4;

/** RSS of this process and of the DynamoDB Local JVM the local cloud started (its child). */
function rss(): { node: number; jvm: number } {
  return { node: process.memoryUsage().rss, jvm: childPids('java').reduce((sum, pid) => sum + rssOf(pid), 0) };
}

async function firstMessageAndThroughput() {
  const { assemblyDir, stackName, synthMs } = referenceAssembly();
  const counter = new OutcomeCounter();
  const started = performance.now();
  const cloud = await startLocalCloud({ assemblyDir, stackName, timeScale: 60, onLog: counter.onLog });
  const upMs = performance.now() - started;
  const topicArn = cloud.outputs[OUTPUT_KEYS.topicArn('orders')]!;
  const order = (i: number) => ({
    Id: `o${i % 10}`,
    Message: JSON.stringify({
      orderId: `bench-${i}`,
      customerId: 'c',
      email: 'bench@example.com',
      items: [{ sku: 's', quantity: 1 }],
      totalCents: 1,
    }),
    MessageAttributes: {
      eventType: { DataType: 'String', StringValue: 'OrderPlaced' },
      idempotencyKey: { DataType: 'String', StringValue: `bench-${i}` },
    },
  });
  await cloud.clients.sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [order(0)] }));
  while (counter.firstOutcomeAt === undefined) await new Promise((r) => setTimeout(r, 5));
  const firstMessageMs = counter.firstOutcomeAt - started;
  while (counter.total() < SUBSCRIBERS_PER_PLACED_ORDER) await new Promise((r) => setTimeout(r, 20));
  const rssIdle = rss();
  const peakRss = { ...rssIdle, total: rssIdle.node + rssIdle.jvm };
  const sampler = setInterval(() => {
    const now = rss();
    peakRss.node = Math.max(peakRss.node, now.node);
    peakRss.jvm = Math.max(peakRss.jvm, now.jvm);
    peakRss.total = Math.max(peakRss.total, now.node + now.jvm);
  }, 100);
  const before = counter.total();
  const expected = before + FANOUT_ORDERS * SUBSCRIBERS_PER_PLACED_ORDER;
  const t0 = performance.now();
  for (let i = 1; i <= FANOUT_ORDERS; i += 10) {
    const entries = Array.from({ length: Math.min(10, FANOUT_ORDERS - i + 1) }, (_, k) => order(i + k));
    await cloud.clients.sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }));
  }
  const publishMs = performance.now() - t0;
  const deadline = Date.now() + 600_000;
  while (counter.total() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const fanoutMs = performance.now() - t0;
  clearInterval(sampler);
  const delivered = counter.total() - before;
  await cloud.stop();
  return { synthMs, upMs, firstMessageMs, delivered, publishMs, fanoutMs, rssIdle, peakRss };
}

/** The same fan-out through no-op functions: what the local cloud itself costs per delivery. */
async function noopFanout() {
  const { assemblyDir, stackName } = synthNoopFanout(SUBSCRIBERS_PER_PLACED_ORDER);
  const cloud = await startLocalCloud({ assemblyDir, stackName });
  const topicArn = Object.values(cloud.resources.ofType('AWS::SNS::Topic'))[0]!.physicalId;
  let delivered = 0;
  const done = new Promise<void>((resolve) => {
    const check = setInterval(() => {
      delivered = cloud.pollers.reduce((n, p) => n + p.stats.deleted, 0);
      if (delivered >= FANOUT_ORDERS * SUBSCRIBERS_PER_PLACED_ORDER) {
        clearInterval(check);
        resolve();
      }
    }, 20);
  });
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < FANOUT_ORDERS; i += 10) {
    const entries = Array.from({ length: Math.min(10, FANOUT_ORDERS - i) }, (_, k) => ({
      Id: `m${k}`,
      Message: `{"n":${i + k}}`,
    }));
    await cloud.clients.sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }));
  }
  await done;
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpuBefore);
  await cloud.stop();
  return { delivered, ms, cpuMsPerDelivery: (cpu.user + cpu.system) / 1000 / delivered };
}

function wholeStartOnce(): { ms: number; exit: number | null } {
  const started = performance.now();
  const result = spawnSync('npx', ['tsx', 'bin/start.ts', '--once', '--port', '0'], {
    stdio: 'ignore',
    env: process.env,
  });
  return { ms: performance.now() - started, exit: result.status };
}

const measured = await firstMessageAndThroughput();
const noop = await noopFanout();
const once = wholeStartOnce();
const table = new Table({ head: ['measure', 'local cloud (this run)', 'goal', 'LocalStack + cdklocal (anchor)'] });
table.push(
  ['deploy (emulators + resources)', secs(measured.upMs), '—', '~20 s start + ~30 s deploy'],
  ['start → first message processed (no synth)', secs(measured.firstMessageMs), '≤ 3 s', '~50 s'],
  [`whole npm start --once (exit ${once.exit})`, secs(once.ms), '≤ 15 s incl. synth', '—'],
  [
    `fan-out: ${FANOUT_ORDERS} orders × ${SUBSCRIBERS_PER_PLACED_ORDER} subscribers, publish`,
    secs(measured.publishMs),
    '—',
    '—',
  ],
  [
    'fan-out deliveries processed per second (publish → consumer done)',
    `${Math.round(measured.delivered / (measured.fanoutMs / 1000))}/s (${measured.delivered} in ${secs(measured.fanoutMs)})`,
    '≥ 2,000/s on 2 cores',
    '—',
  ],
  [
    'fan-out deliveries/s through no-op functions (local cloud overhead only)',
    `${Math.round(noop.delivered / (noop.ms / 1000))}/s (${noop.delivered} in ${secs(noop.ms)}; ${noop.cpuMsPerDelivery.toFixed(2)} ms CPU each)`,
    '≥ 2,000/s on 2 cores',
    '—',
  ],
  [
    'RSS after first message / peak during fan-out (Node + DynamoDB Local JVM)',
    `${mb(measured.rssIdle.node + measured.rssIdle.jvm)} / ${mb(measured.peakRss.total)}`,
    '—',
    '~1 GB container',
  ],
  ['  of which the DynamoDB Local JVM', `${mb(measured.rssIdle.jvm)} / ${mb(measured.peakRss.jvm)}`, '—', '—'],
);
if (measured.synthMs) table.push(['(synth for this bench, not counted above)', secs(measured.synthMs), '—', '—']);
console.log(table.toString());
