/**
 * `npm run soak -- --events N`: N order events through the reference stack with 10% duplicate
 * publishes, 20% transient invocation failures, 2% worker crashes and 1% poison, then a table of
 * lost events, duplicate effects, dead-lettered messages and RSS over time.
 */
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { PublishBatchCommand, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import Table from 'cli-table3';
import { Command } from 'commander';
import { OutcomeCounter } from '../local/demo/outcome-counter.ts';
import { waitUntilDrained } from '../local/demo/settle.ts';
import { startLocalCloud, type LocalCloud } from '../local/index.ts';
import { OUTPUT_KEYS } from '../topology/outputs.ts';
import { mb, referenceAssembly, secs } from './local-assembly.ts';

const opts = new Command('soak')
  .option('--events <n>', 'order events', (v) => Number(v), 100_000)
  .option('--duplicates <rate>', 'share of events published twice', Number, 0.1)
  .option('--failures <rate>', 'share of invocations failed transiently', Number, 0.2)
  .option('--crashes <rate>', 'share of invocations whose worker crashes', Number, 0.02)
  .option('--poison <rate>', 'share of events that are poison', Number, 0.01)
  .option('--time-scale <n>', 'queue timers / alarm clock scale', Number, 60)
  .parse()
  .opts<{ events: number; duplicates: number; failures: number; crashes: number; poison: number; timeScale: number }>();

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

const { assemblyDir, stackName } = referenceAssembly();
const counter = new OutcomeCounter();
const cloud = await startLocalCloud({
  assemblyDir,
  stackName,
  timeScale: opts.timeScale,
  onLog: counter.onLog,
  chaos: { failureRate: opts.failures, crashRate: opts.crashes },
});
const out = cloud.outputs;
const started = performance.now();
const rss: { at: number; rss: number; outcomes: number }[] = [];
const sampler = setInterval(
  () => rss.push({ at: performance.now() - started, rss: process.memoryUsage().rss, outcomes: counter.total() }),
  5_000,
);

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
rss.push({ at: totalMs, rss: process.memoryUsage().rss, outcomes: counter.total() });

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
const deadCell = (dead: Set<string>) =>
  `${dead.size}: ${poisonIds(dead)} poison + ${dead.size - poisonIds(dead)} retries exhausted`;
const results = new Table({
  head: [
    'consumer (delivery)',
    `effects (of ${uniqueGood})`,
    'lost: no effect, not in DLQ (goal 0)',
    'duplicate effects (goal 0)',
    `dead-lettered (poison = ${poison})`,
  ],
});
const emailIds = new Set(
  emails.filter((e) => e.emailId?.S?.endsWith('#confirmation')).map((e) => e.emailId!.S!.split('#')[0]!),
);
const reservationIds = new Set(reservations.map((r) => r.orderId!.S!));
const pickIds = new Set(picks.map((p) => p.orderId!.S!));
results.push([
  'email (exactly-once)',
  emailIds.size,
  lost(emailIds, dlq.email),
  emails.filter((e) => Number(e.sends?.N ?? 1) > 1).length,
  deadCell(dlq.email),
]);
results.push([
  'inventory (exactly-once)',
  reservationIds.size,
  lost(reservationIds, dlq.inventory),
  reservations.filter((r) => Number(r.reserved?.N) > 1).length,
  deadCell(dlq.inventory),
]);
results.push([
  'warehouse (at-least-once, idempotent)',
  pickIds.size,
  lost(pickIds, dlq.warehouse),
  'n/a (idempotent upsert)',
  deadCell(dlq.warehouse),
]);
const stats = Object.fromEntries(cloud.lambdas.functionNames().map((f) => [f, cloud.lambdas.stats(f)]));
const totals = Object.values(stats).reduce(
  (a, s) => ({
    invocations: a.invocations + s.invocations,
    errors: a.errors + s.errors,
    crashes: a.crashes + s.crashes,
  }),
  { invocations: 0, errors: 0, crashes: 0 },
);
const run = new Table({ head: ['run', 'value'] });
run.push(
  ['events (unique) / published incl. duplicates / poison', `${opts.events} / ${published} / ${poison}`],
  [
    'invocations / failed (injected + handler) / crashed workers',
    `${totals.invocations} / ${totals.errors} / ${totals.crashes}`,
  ],
  ['publish time / total until drained', `${secs(publishMs)} / ${secs(totalMs)}${drained ? '' : ' (NOT drained)'}`],
  ['record outcomes (all consumers)', counter.total()],
);
const memory = new Table({ head: ['t', 'RSS', 'record outcomes so far'] });
const step = Math.max(1, Math.floor(rss.length / 10));
for (let i = 0; i < rss.length; i += step) memory.push([secs(rss[i]!.at), mb(rss[i]!.rss), rss[i]!.outcomes]);
if ((rss.length - 1) % step !== 0) memory.push([secs(rss.at(-1)!.at), mb(rss.at(-1)!.rss), rss.at(-1)!.outcomes]);
console.log(results.toString());
console.log(run.toString());
console.log(memory.toString());
await cloud.stop();
process.exit(0);
