/**
 * The measuring half of `npm run soak`, run as a child process by `bench/soak.ts` (in this tree and
 * in the baseline's worktree, so it uses only APIs the baseline has too): the soak on the assembly
 * given, figures written as JSON to `--out`.
 */
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { PublishBatchCommand, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { writeFileSync } from 'node:fs';
import { OutcomeCounter } from '../local/demo/outcome-counter.ts';
import { waitUntilDrained } from '../local/demo/settle.ts';
import { startLocalCloud, type LocalCloud } from '../local/index.ts';
import { childPids, rssOf } from '../test/support/child-processes.ts';
import { OUTPUT_KEYS } from '../contracts/outputs.ts';

const arg = (name: string) => process.argv[process.argv.indexOf(`--${name}`) + 1]!;
const opts = {
  events: Number(arg('events')),
  duplicates: Number(arg('duplicates')),
  failures: Number(arg('failures')),
  crashes: Number(arg('crashes')),
  poison: Number(arg('poison')),
  timeScale: Number(arg('time-scale')),
};

export interface ConsumerResult {
  readonly consumer: string;
  readonly effects: number;
  readonly lost: number;
  readonly duplicates: number | undefined;
  readonly deadLettered: number;
  readonly deadPoison: number;
}

export interface SoakMeasurement {
  readonly events: number;
  readonly published: number;
  readonly poison: number;
  readonly uniqueGood: number;
  readonly consumers: readonly ConsumerResult[];
  readonly invocations: number;
  readonly errors: number;
  readonly throttles: number;
  readonly crashes: number;
  readonly publishMs: number;
  readonly totalMs: number;
  readonly drained: boolean;
  readonly outcomes: number;
  readonly nodePeak: number;
  readonly nodeDrained: number;
  readonly jvmPeak: number;
  readonly environmentsPeak: number;
  readonly samples: readonly { at: number; node: number; jvm: number; outcomes: number }[];
}

const str = (v: string) => ({ DataType: 'String', StringValue: v });

function entry(i: number, poison: boolean): PublishBatchRequestEntry {
  const orderId = `soak-${i}`;
  const body = poison
    ? { orderId, items: 'poison' }
    : {
        orderId,
        customerId: `c${i % 97}`,
        email: `c${i % 97}@example.com`,
        items: [{ sku: `sku-${i % 13}`, quantity: 1 }],
        totalCents: i,
      };
  return {
    Id: `e${i % 10}`,
    Message: JSON.stringify(body),
    MessageAttributes: { eventType: str('OrderPlaced'), idempotencyKey: str(`placed:${orderId}`) },
  };
}

async function scanAll(cloud: LocalCloud, table: string) {
  const items: Record<string, AttributeValue>[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await cloud.clients.dynamodb.send(new ScanCommand({ TableName: table, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

const counter = new OutcomeCounter();
const cloud = await startLocalCloud({
  assemblyDir: arg('assembly'),
  stackName: arg('stack'),
  timeScale: opts.timeScale,
  onLog: counter.onLog,
  chaos: { failureRate: opts.failures, crashRate: opts.crashes },
});
const out = cloud.outputs;
const started = performance.now();
const jvm = childPids('java')[0];
const samples: { at: number; node: number; jvm: number; outcomes: number }[] = [];
const peak = { node: 0, jvm: 0, environments: 0 };
const sample = () => {
  const node = process.memoryUsage.rss();
  const jvmRss = jvm ? rssOf(jvm) : 0;
  peak.node = Math.max(peak.node, node);
  peak.jvm = Math.max(peak.jvm, jvmRss);
  const environments = Object.values(cloud.lambdas.environments()).reduce((a, b) => a + b, 0);
  peak.environments = Math.max(peak.environments, environments);
  return { at: performance.now() - started, node, jvm: jvmRss, outcomes: counter.total() };
};
let ticks = 0;
const sampler = setInterval(() => {
  const s = sample();
  if (ticks++ % 20 === 0) samples.push(s); // every 5 s into the series, peaks every 250 ms
}, 250);

const poisonEvery = Math.round(1 / opts.poison);
const duplicateEvery = Math.round(1 / opts.duplicates);
let poison = 0;
let published = 0;
const topicArn = out[OUTPUT_KEYS.topicArn('orders')]!;
let batch: PublishBatchRequestEntry[] = [];
const flush = async () => {
  if (!batch.length) return;
  await cloud.clients.sns.send(
    new PublishBatchCommand({
      TopicArn: topicArn,
      PublishBatchRequestEntries: batch.map((e, k) => ({ ...e, Id: `e${k}` })),
    }),
  );
  published += batch.length;
  batch = [];
};
for (let i = 0; i < opts.events; i++) {
  const isPoison = i % poisonEvery === poisonEvery - 1;
  if (isPoison) poison++;
  batch.push(entry(i, isPoison));
  if (i % duplicateEvery === 0) batch.push(entry(i, isPoison));
  if (batch.length >= 9) await flush();
}
await flush();
const publishMs = performance.now() - started;
const queues = ['inventory', 'email', 'warehouse', 'analytics'].map((n) => out[OUTPUT_KEYS.queueUrl(n)]!);
const drained = await waitUntilDrained(cloud, queues, 30 * 60_000);
const totalMs = performance.now() - started;
clearInterval(sampler);
samples.push(sample());

const uniqueGood = opts.events - poison;
const emails = await scanAll(cloud, out[OUTPUT_KEYS.tableName('sent-emails')]!);
const reservations = await scanAll(cloud, out[OUTPUT_KEYS.tableName('reservations')]!);
const picks = await scanAll(cloud, out[OUTPUT_KEYS.tableName('picks')]!);
/** Order ids in a DLQ (each message received once: the visibility timeout outlasts the scan). */
async function deadLettered(name: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (;;) {
    const { Messages = [] } = await cloud.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: out[OUTPUT_KEYS.deadLetterQueueUrl(name)]!,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 600,
      }),
    );
    if (!Messages.length) return ids;
    for (const m of Messages) {
      const body = JSON.parse(m.Body!) as { orderId?: string; Message?: string };
      ids.add(body.orderId ?? (JSON.parse(body.Message ?? '{}') as { orderId?: string }).orderId ?? '?');
    }
  }
}
const dlq = {
  email: await deadLettered('email'),
  inventory: await deadLettered('inventory'),
  warehouse: await deadLettered('warehouse'),
};
const poisonIds = (set: Set<string>) =>
  [...set].filter((id) => Number(id.slice('soak-'.length)) % poisonEvery === poisonEvery - 1).length;
const lost = (effects: Set<string>, dead: Set<string>) =>
  Array.from({ length: opts.events }, (_, i) => `soak-${i}`).filter(
    (id, i) => i % poisonEvery !== poisonEvery - 1 && !effects.has(id) && !dead.has(id),
  ).length;
const emailIds = new Set(
  emails.filter((e) => e.emailId?.S?.endsWith('#confirmation')).map((e) => e.emailId!.S!.split('#')[0]!),
);
const reservationIds = new Set(reservations.map((r) => r.orderId!.S!));
const pickIds = new Set(picks.map((p) => p.orderId!.S!));
const result = (consumer: string, effects: Set<string>, dead: Set<string>, duplicates: number | undefined) => ({
  consumer,
  effects: effects.size,
  lost: lost(effects, dead),
  duplicates,
  deadLettered: dead.size,
  deadPoison: poisonIds(dead),
});
const stats = cloud.lambdas.functionNames().map((f) => cloud.lambdas.stats(f));
const sum = (pick: (s: (typeof stats)[number]) => number) => stats.reduce((n, s) => n + pick(s), 0);
const measured: SoakMeasurement = {
  events: opts.events,
  published,
  poison,
  uniqueGood,
  consumers: [
    result('email (exactly-once)', emailIds, dlq.email, emails.filter((e) => Number(e.sends?.N ?? 1) > 1).length),
    result(
      'inventory (exactly-once)',
      reservationIds,
      dlq.inventory,
      reservations.filter((r) => Number(r.reserved?.N) > 1).length,
    ),
    result('warehouse (at-least-once, idempotent)', pickIds, dlq.warehouse, undefined),
  ],
  invocations: sum((s) => s.invocations),
  errors: sum((s) => s.errors),
  throttles: sum((s) => s.throttles),
  crashes: sum((s) => s.crashes),
  publishMs,
  totalMs,
  drained,
  outcomes: counter.total(),
  nodePeak: peak.node,
  nodeDrained: samples.at(-1)!.node,
  jvmPeak: peak.jvm,
  environmentsPeak: peak.environments,
  samples,
};
await cloud.stop();
writeFileSync(arg('out'), JSON.stringify(measured));
process.exit(0);
