/**
 * `npm run bench:consumer` — the Fanout consumer runtime against Powertools (BatchProcessor /
 * SqsFifoPartialProcessorAsync + makeIdempotent + DynamoDBPersistenceLayer): same ledger effect,
 * same DynamoDB Local, same process, one run. Prints one comparison table.
 */
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import Table from 'cli-table3';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { createConsumer, dynamo as handlerClient, DynamoDbIdempotencyStore } from '../lambdas/runtime/index.ts';
import { createTable, REGION, useLocalCredentials } from '../test/support/emulators.ts';
import { lambdaContext, snsRecord } from '../test/support/lambda-events.ts';
import { DEFAULT_PARALLELISM } from '../topology/defaults.ts';
import { createPowertoolsLedger, ledgerClient } from './consumer/powertools-ledger.ts';
import { bundle, initTimesMs } from './consumer/measure.ts';
import { consumerConfig, emulatorQueueUrl } from '../test/support/consumer-config.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 300);
/** Each measurement runs this often, interleaved between the two runtimes; the best run counts. */
const ROUNDS = 2;
/** Added to every DynamoDB request in the second pass: a typical in-region round trip. */
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 5);
const ACCOUNTS = 10;

type Handler = (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;

useLocalCredentials();
const emulator = await startDynamoDbLocal({ sharedDb: true, steadyState: true });
process.env.AWS_ENDPOINT_URL_DYNAMODB = emulator.endpoint;
process.env.FANOUT_TABLE_LEDGER = 'ledger';
const admin = new DynamoDBClient({ endpoint: emulator.endpoint, region: REGION });
await createTable(admin, 'ledger', 'accountId');
const { handler: ledger } = await import('../examples/shop/handlers/ledger.ts');

/** Simulated network latency, switched on for the second pass; applied to every client alike. */
let latencyMs = 0;
function withLatency(client: DynamoDBClient): DynamoDBClient {
  client.middlewareStack.add(
    (next) => async (args) => {
      if (latencyMs > 0) await sleep(latencyMs);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'benchLatency' },
  );
  return client;
}
withLatency(handlerClient());
withLatency(ledgerClient);

/**
 * Requests and write capacity units a client spends (items under 1 KB: a write is 1 WCU, a
 * transactional write 2 per item, as DynamoDB bills them).
 */
function meter(client: DynamoDBClient) {
  const used = { requests: 0, wcu: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      used.requests++;
      const input = args.input as { TransactItems?: unknown[] };
      if (context.commandName === 'TransactWriteItemsCommand') used.wcu += 2 * (input.TransactItems?.length ?? 0);
      else if (/^(Put|Update|Delete)ItemCommand$/.test(context.commandName ?? '')) used.wcu += 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchMeter' },
  );
  return used;
}
const ledgerUse = meter(ledgerClient);

let tableCount = 0;
/** A fresh idempotency table and a request-counting client per consumer under test. */
async function idempotencyTable() {
  const tableName = `idempotency-${tableCount++}`;
  await createTable(admin, tableName, 'id');
  const client = withLatency(new DynamoDBClient({ endpoint: emulator.endpoint, region: REGION }));
  return { tableName, client, use: meter(client) };
}

interface Use {
  readonly requests: number;
  readonly wcu: number;
}

async function fanout(fifo: boolean, parallelism = DEFAULT_PARALLELISM) {
  const table = await idempotencyTable();
  const config = consumerConfig({
    name: 'ledger',
    delivery: 'exactly-once',
    fifo,
    source: 'sns',
    idempotencyTable: table.tableName,
    keySources: [{ field: 'paymentId' }],
    queueUrl: emulatorQueueUrl('ledger'),
    parallelism,
  });
  // The staged ledger commits its posting with the record: every request goes through this client.
  const handler = createConsumer(ledger.definition, config, {
    store: new DynamoDbIdempotencyStore(table.client, table.tableName),
    dynamodb: table.client,
    sink: () => {},
  });
  return { handler: handler as Handler, use: (): Use => ({ ...table.use }) };
}

async function powertools(fifo: boolean) {
  const table = await idempotencyTable();
  // Its idempotency records on one client, its posting on the ledger client: both count.
  const use = (): Use => ({ requests: table.use.requests + ledgerUse.requests, wcu: table.use.wcu + ledgerUse.wcu });
  return {
    handler: createPowertoolsLedger({ client: table.client, tableName: table.tableName, fifo }) as Handler,
    use,
  };
}

function batches(count: number, batchSize: number, fifo: boolean, tag: string): SQSEvent[] {
  const records = Array.from({ length: count }, (_, i) => {
    const accountId = `acct-${i % ACCOUNTS}`;
    return snsRecord(
      'PaymentCaptured',
      { accountId, paymentId: `${tag}-${i}`, amountCents: 1 },
      fifo ? { groupId: accountId } : {},
    );
  });
  const events: SQSEvent[] = [];
  for (let i = 0; i < records.length; i += batchSize) events.push({ Records: records.slice(i, i + batchSize) });
  return events;
}

/** Messages/s of one consumer over fresh messages, then requests per message on the normal and duplicate paths. */
async function run(
  consumer: { handler: Handler; use: () => Use },
  batchSize: number,
  fifo: boolean,
  tag: string,
  messages = MESSAGES,
) {
  const events = batches(messages, batchSize, fifo, tag);
  const before = consumer.use();
  let failures = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (const event of events)
    failures += (await consumer.handler(event, lambdaContext(900_000))).batchItemFailures.length;
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  // DynamoDB Local runs in another process (a JVM): this is the consumer's own CPU (runtime + SDK clients).
  const cpuMicrosPerMessage = (used.user + used.system) / messages;
  const after = consumer.use();
  const normal = (after.requests - before.requests) / messages;
  const wcu = (after.wcu - before.wcu) / messages;
  for (const event of events)
    failures += (await consumer.handler(event, lambdaContext(900_000))).batchItemFailures.length;
  const duplicate = (consumer.use().requests - after.requests) / messages;
  if (failures > 0) throw new Error(`${tag}: ${failures} records failed; the comparison would be meaningless`);
  return { perSecond: messages / seconds, normal, duplicate, wcu, cpuMicrosPerMessage };
}

const scenarios = [
  { name: 'standard, batch 10', fifo: false, batchSize: 10 },
  { name: 'standard, batch 100', fifo: false, batchSize: 100 },
  { name: 'FIFO, batch 10', fifo: true, batchSize: 10 },
  { name: 'FIFO, batch 100 (processor only: the ESM caps FIFO at 10)', fifo: true, batchSize: 100 },
  // Powertools runs a whole standard batch at once; the same concurrency for Fanout isolates the runtime cost.
  { name: 'standard, batch 100, Fanout parallelism 100', fifo: false, batchSize: 100, parallelism: 100 },
];

// Warm both paths (JIT, sockets) before measuring.
await run(await fanout(false), 10, false, 'warm-f');
await run(await powertools(false), 10, false, 'warm-p');

const table = new Table({ head: ['metric', 'Fanout', 'Powertools', 'Fanout / PT', 'goal', 'met'] });
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const row = (metric: string, ours: string, theirs: string, r: string, goal: string, met: boolean) =>
  table.push([metric, ours, theirs, r, goal, met ? 'yes' : 'NO']);

const requestRows: {
  scenario: string;
  normal: [number, number];
  duplicate: [number, number];
  wcu: [number, number];
}[] = [];
const cpuRows: [string, string, string, string, string, boolean][] = [];
const loadBefore = loadavg()[0]!;
for (const pass of [0, LATENCY_MS]) {
  latencyMs = pass;
  const messages = pass === 0 ? MESSAGES : Math.ceil(MESSAGES / 2);
  const label = pass === 0 ? 'no added latency' : `+${pass} ms/request`;
  for (const [index, scenario] of scenarios.entries()) {
    // Alternate who goes first so drift in the shared emulator does not favour one side.
    const order = index % 2 === 0 ? ['f', 'p'] : ['p', 'f'];
    const results: Record<string, Awaited<ReturnType<typeof run>>> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const who of order) {
        const consumer =
          who === 'f' ? await fanout(scenario.fifo, scenario.parallelism) : await powertools(scenario.fifo);
        const result = await run(
          consumer,
          scenario.batchSize,
          scenario.fifo,
          `${who}-${pass}-${index}-${round}`,
          messages,
        );
        const best = results[who];
        results[who] = best && best.perSecond >= result.perSecond ? best : result;
      }
    }
    const [f, p] = [results.f!, results.p!];
    const goal = scenario.fifo ? 5 : 2;
    row(
      `messages/s — ${scenario.name}, ${label}`,
      f.perSecond.toFixed(0),
      p.perSecond.toFixed(0),
      ratio(f.perSecond, p.perSecond),
      pass > 0 ? `≥ ${goal}×` : '(higher)',
      f.perSecond >= (pass > 0 ? goal : 1) * p.perSecond,
    );
    if (pass === 0 && index < 3)
      requestRows.push({
        scenario: scenario.name,
        normal: [f.normal, p.normal],
        duplicate: [f.duplicate, p.duplicate],
        wcu: [f.wcu, p.wcu],
      });
    if (pass === 0) {
      cpuRows.push([
        `consumer CPU µs/message — ${scenario.name}`,
        f.cpuMicrosPerMessage.toFixed(0),
        p.cpuMicrosPerMessage.toFixed(0),
        ratio(f.cpuMicrosPerMessage, p.cpuMicrosPerMessage),
        '(lower)',
        f.cpuMicrosPerMessage <= p.cpuMicrosPerMessage,
      ]);
    }
  }
}
latencyMs = 0;
for (const cpuRow of cpuRows) row(...cpuRow);
for (const r of requestRows) {
  const [[fn, pn], [fd, pd], [fw, pw]] = [r.normal, r.duplicate, r.wcu];
  row(
    `DynamoDB round trips/message — normal path, ${r.scenario}`,
    fn.toFixed(2),
    pn.toFixed(2),
    ratio(fn, pn),
    '≤ 0.5',
    fn <= 0.5,
  );
  row(
    `DynamoDB round trips/message — duplicate path, ${r.scenario}`,
    fd.toFixed(2),
    pd.toFixed(2),
    ratio(fd, pd),
    '≤ 0.2',
    fd <= 0.2,
  );
  row(
    `write capacity units/message (transactions: 2 per item), ${r.scenario}`,
    fw.toFixed(2),
    pw.toFixed(2),
    ratio(fw, pw),
    '(reported)',
    true,
  );
}

const entries = { f: 'bench/consumer/fanout-ledger.ts', p: 'bench/consumer/powertools-ledger.ts' };
for (const sdkExternal of [true, false]) {
  const f = await bundle(entries.f, 'fanout-ledger', sdkExternal);
  const p = await bundle(entries.p, 'powertools-ledger', sdkExternal);
  const label = sdkExternal ? 'SDK external (CDK NodejsFunction default)' : 'SDK bundled';
  row(
    `bundle bytes, minified — ${label}`,
    String(f.bytes),
    String(p.bytes),
    ratio(f.bytes, p.bytes),
    '≤ 0.5×',
    f.bytes <= 0.5 * p.bytes,
  );
  const [fi, pi] = initTimesMs([f.file, p.file]) as [number, number];
  row(`module init ms, fresh process — ${label}`, fi.toFixed(1), pi.toFixed(1), ratio(fi, pi), '(lower)', fi <= pi);
}

console.log(
  `\nConsumer runtime benchmark — ${MESSAGES} messages per scenario (${Math.ceil(MESSAGES / 2)} with latency), best of ${ROUNDS} interleaved runs, ` +
    `${ACCOUNTS} accounts = FIFO groups, one invocation at a time, Fanout parallelism = the batch size up to 50 (the default) unless stated, DynamoDB Local in its own process, ` +
    `Node ${process.versions.node}, load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs\n`,
);
console.log(table.toString());
admin.destroy();
await emulator.stop();
