/**
 * `npm run bench:requests`: the AWS requests the code makes per message, counted on the local cloud.
 *
 * The reference stack runs locally; a known number of messages of each event type is published with
 * the Fanout publisher, and every client-side AWS call is counted where it happens:
 * - the publisher: SDK middleware on its clients;
 * - the consumer runtime (inside each function): at the messaging front (SQS, S3; Node's
 *   `http.server.request.start` diagnostics channel) and at a counting proxy in front of DynamoDB
 *   Local. Each function's SDK says who it is through the standard `AWS_SDK_UA_APP_ID` variable, set
 *   here on the bench's copy of the template (the deployed stack does not set it).
 * The event source's own polling (receives, deletes) and SNS's deliveries are not counted: the local
 * cloud only imitates them; `fanout plan` models those from AWS's documentation.
 *
 * Writes client/plan/measured-requests.json (committed; `fanout plan` reads it).
 */
import { synthShop } from '../examples/shop/test/local/shop-cloud.ts';
import { execSync } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { InitializeMiddleware, MetadataBearer, MiddlewareStack } from '@smithy/types';
import Table from 'cli-table3';
import { createClients } from '../client/connection.ts';
import { createPublisher } from '../client/publisher.ts';
import { MEASURED_REQUESTS_FILE, type MeasuredRequests, type MeasuredEndpoint } from '../client/plan/measured.ts';
import { Command } from 'commander';
import { waitUntilDrained } from '../local/demo/settle.ts';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { startLocalCloud } from '../local/index.ts';
import { resolveTopology } from '../topology/resolve.ts';
import { referenceTopology } from '../examples/shop/topology.ts';

const PER_EVENT_TYPE = new Command('bench:requests')
  .option('--messages <n>', 'messages per event type', Number, 40)
  .parse()
  .opts<{ messages: number }>().messages;
const CLAIM_CHECKED = 4;
const LARGE_PAYLOAD_BYTES = 300_000;
const PUBLISHER_APP_ID = 'fanout-publisher';
const STAGE = 'dev';

type Counts = Map<string, Map<string, number>>;
const counts: Counts = new Map();
const bump = (who: string, what: string, n = 1) => {
  const row = counts.get(who) ?? new Map<string, number>();
  row.set(what, (row.get(what) ?? 0) + n);
  counts.set(who, row);
};
const snapshot = (): Record<string, Record<string, number>> =>
  Object.fromEntries([...counts].map(([who, row]) => [who, Object.fromEntries(row)]));

const appIdOf = (req: IncomingMessage) => {
  const ua = `${req.headers['user-agent'] ?? ''} ${req.headers['x-amz-user-agent'] ?? ''}`;
  return /app\/([A-Za-z0-9_.-]+)/.exec(ua)?.[1];
};

/** DynamoDB write/read units of one request (items of 1 KB or less; a transaction counts 2 per item). */
function dynamoUnits(operation: string, body: Record<string, unknown>, who: string): void {
  const table = (name: unknown) => String(name);
  const item = (kind: 'write' | 'read', tableName: string, units: number) => bump(who, `${kind}:${tableName}`, units);
  switch (operation) {
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      item('write', table(body.TableName), 1);
      break;
    case 'GetItem':
    case 'Query':
      item('read', table(body.TableName), body.ConsistentRead ? 1 : 0.5);
      break;
    case 'TransactWriteItems':
      for (const t of (body.TransactItems as Record<string, { TableName: string }>[]) ?? []) {
        const [, inner] = Object.entries(t)[0]!;
        item('write', table(inner.TableName), 2);
      }
      break;
    case 'TransactGetItems':
      for (const t of (body.TransactItems as { Get: { TableName: string } }[]) ?? []) item('read', t.Get.TableName, 2);
      break;
    case 'BatchWriteItem':
      for (const [name, writes] of Object.entries((body.RequestItems as Record<string, unknown[]>) ?? {}))
        item('write', name, writes.length);
      break;
  }
}

/** A proxy in front of DynamoDB Local that counts each function's calls and their units. */
async function countingDynamoProxy(upstream: string): Promise<{ endpoint: string; close(): void }> {
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const who = appIdOf(req);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1];
      if (who && operation) {
        bump(who, `DynamoDB:${operation}`);
        try {
          dynamoUnits(operation, JSON.parse(body.toString('utf8')) as Record<string, unknown>, who);
        } catch {
          // Not JSON: counted as a call, no units.
        }
      }
      const forward = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 500, up.headers);
          up.pipe(res);
        },
      );
      forward.on('error', (e) => res.destroy(e));
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  };
}

/** Counts the functions' SQS and S3 calls at the messaging front (the public port; fauxqs behind it is not counted again). */
function countMessagingCalls(messagingPort: () => number | undefined): void {
  subscribe('http.server.request.start', (message) => {
    const { request, server } = message as { request: IncomingMessage; server: { address(): AddressInfo | null } };
    if (server.address()?.port !== messagingPort()) return;
    const who = appIdOf(request);
    if (!who || who === PUBLISHER_APP_ID) return;
    const target = request.headers['x-amz-target'];
    if (typeof target === 'string' && target.startsWith('AmazonSQS.')) bump(who, `SQS:${target.slice(10)}`);
    else if (request.method === 'GET') bump(who, 'S3:GetObject');
    else if (request.method === 'PUT') bump(who, 'S3:PutObject');
    else bump(who, `other:${request.method}`);
  });
}

function synthWithAppIds(): { assemblyDir: string; stackName: string } {
  const { assemblyDir, stackName } = synthShop();
  const file = join(assemblyDir, `${stackName}.template.json`);
  const template = JSON.parse(readFileSync(file, 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  for (const r of Object.values(template.Resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const env = (r.Properties.Environment ?? { Variables: {} }) as { Variables: Record<string, unknown> };
    env.Variables.AWS_SDK_UA_APP_ID = r.Properties.FunctionName;
    r.Properties.Environment = env;
  }
  writeFileSync(file, JSON.stringify(template));
  return { assemblyDir, stackName };
}

const payloads: Record<string, (i: number, big?: boolean) => Record<string, unknown>> = {
  OrderPlaced: (i, big) => ({
    orderId: `order-${i}`,
    customerId: big ? 'c'.repeat(LARGE_PAYLOAD_BYTES) : `customer-${i % 17}`,
    email: `customer${i % 17}@example.com`,
    items: [{ sku: `sku-${i % 7}`, quantity: 1 }],
    totalCents: 1_000 + i,
  }),
  OrderCancelled: (i) => ({ orderId: `order-${i}`, reason: 'changed mind' }),
  OrderShipped: (i) => ({ orderId: `order-${i}`, email: 'c@example.com', carrier: 'ups', trackingId: `1Z${i}` }),
  PaymentCaptured: (i) => ({ paymentId: `cap-${i}`, accountId: `account-${i % 5}`, amountCents: 100 + i }),
  PaymentRefunded: (i) => ({
    paymentId: `ref-${i}`,
    refundId: `refund-${i}`,
    accountId: `account-${i % 5}`,
    amountCents: 1,
  }),
  JobRequested: (i) => ({
    jobId: `job-${i}`,
    kind: 'word-count',
    input: 'the quick brown fox',
    tenantId: `t-${i % 3}`,
  }),
};

const diff = (after: Record<string, Record<string, number>>, before: Record<string, Record<string, number>>) =>
  Object.fromEntries(
    Object.entries(after).map(([who, row]) => [
      who,
      Object.fromEntries(
        Object.entries(row)
          .map(([k, v]) => [k, v - (before[who]?.[k] ?? 0)] as const)
          .filter(([, v]) => v !== 0),
      ),
    ]),
  );

async function main() {
  const resolved = resolveTopology(referenceTopology, STAGE);
  const { assemblyDir, stackName } = synthWithAppIds();
  const dynamo = await startDynamoDbLocal();
  const proxy = await countingDynamoProxy(dynamo.endpoint);
  let messagingPort: number | undefined;
  countMessagingCalls(() => messagingPort);
  const cloud = await startLocalCloud({
    assemblyDir,
    stackName,
    timeScale: 60,
    dynamodb: { endpoint: proxy.endpoint },
  });
  messagingPort = Number(new URL(cloud.endpoints.messaging).port);
  const clients = createClients({
    region: cloud.region,
    endpoints: { sqs: cloud.endpoints.messaging, sns: cloud.endpoints.messaging, s3: cloud.endpoints.messaging },
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const countCalls: InitializeMiddleware<object, MetadataBearer> = (next, context) => (args) => {
    bump(PUBLISHER_APP_ID, `${String(context.clientName).replace('Client', '')}:${context.commandName}`);
    return next(args);
  };
  for (const client of [clients.sns, clients.sqs, clients.s3])
    (client.middlewareStack as MiddlewareStack<object, MetadataBearer>).add(countCalls, {
      step: 'initialize',
      name: 'countRequests',
    });
  const publisher = await createPublisher({
    topology: referenceTopology,
    target: { kind: 'static', outputs: cloud.outputs, connection: {} },
    clients,
  });
  const allQueues = Object.values(cloud.resources.ofType('AWS::SQS::Queue')).map((q) => q.physicalId);
  const settle = async () => {
    await publisher.flush();
    await new Promise((r) => setTimeout(r, 300));
    if (!(await waitUntilDrained(cloud, allQueues, 120_000))) throw new Error('queues did not drain in 120 s');
  };
  const byEventType: Record<string, Record<string, Record<string, number>>> = {};
  for (const eventType of Object.keys(referenceTopology.events)) {
    const before = snapshot();
    const make = payloads[eventType]!;
    const sends = Array.from({ length: PER_EVENT_TYPE }, (_, i) =>
      eventType === 'JobRequested'
        ? publisher.request('JobRequested', make(i) as never, { timeoutMs: 60_000 })
        : publisher.publish(eventType as never, make(i) as never),
    );
    await Promise.all(sends);
    await settle();
    byEventType[eventType] = diff(snapshot(), before);
  }
  const beforeLarge = snapshot();
  await Promise.all(
    Array.from({ length: CLAIM_CHECKED }, (_, i) =>
      publisher.publish('OrderPlaced', payloads.OrderPlaced!(1000 + i, true) as never),
    ),
  );
  await settle();
  const large = diff(snapshot(), beforeLarge);
  await publisher.close();
  await cloud.stop();
  proxy.close();
  await dynamo.stop();

  // Tables by their topology name (`idempotency` for the stack's idempotency table), so any stage reads the file.
  const tableNames = new Map([
    ...resolved.tables.map((t) => [t.physicalName, t.name] as const),
    [resolved.idempotencyTable, 'idempotency'] as const,
  ]);
  const key = (k: string) =>
    k
      .replace(/Command$/, '')
      .replace(/^(write|read):(.*)$/, (_m, kind: string, t: string) => `${kind}:${tableNames.get(t) ?? t}`);
  const perMessage = (row: Record<string, number> | undefined, n: number) =>
    Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [key(k), Number((v / n).toFixed(4))]));
  const endpoints: Record<string, MeasuredEndpoint> = {};
  for (const e of resolved.endpoints) {
    endpoints[e.name] = {
      byEventType: Object.fromEntries(
        e.events.map((event) => [event, perMessage(byEventType[event]?.[e.names.function], PER_EVENT_TYPE)]),
      ),
    };
  }
  const publisherRows = Object.fromEntries(
    Object.entries(byEventType).map(([event, rows]) => [event, perMessage(rows[PUBLISHER_APP_ID], PER_EVENT_TYPE)]),
  );
  const claimCheckConsumers = Object.fromEntries(
    resolved.endpoints
      .filter((e) => e.events.includes('OrderPlaced'))
      .map((e) => [e.name, perMessage(large[e.names.function], CLAIM_CHECKED)]),
  );
  const commit = execSync('git rev-parse --short HEAD').toString().trim();
  const measured: MeasuredRequests = {
    measuredAt: new Date().toISOString(),
    commit,
    command: `npm run bench:requests -- --messages=${PER_EVENT_TYPE}`,
    messagesPerEventType: PER_EVENT_TYPE,
    note: 'Client-side AWS calls per message on the local cloud (reference stack, dev). DynamoDB units assume items of 1 KB or less; a transaction counts 2 per item. The event source polling, SNS deliveries and KMS are not measured (modelled by fanout plan).',
    publisher: publisherRows,
    endpoints,
    claimCheck: {
      payloadBytes: LARGE_PAYLOAD_BYTES,
      messages: CLAIM_CHECKED,
      publisher: perMessage(large[PUBLISHER_APP_ID], CLAIM_CHECKED),
      consumers: claimCheckConsumers,
    },
  };
  writeFileSync(MEASURED_REQUESTS_FILE, `${JSON.stringify(measured, null, 2)}\n`);

  const table = new Table({ head: ['who', 'event type', 'calls per message'], style: { head: [], border: [] } });
  for (const [event, row] of Object.entries(publisherRows)) table.push(['publisher', event, fmt(row)]);
  for (const [name, e] of Object.entries(endpoints))
    for (const [event, row] of Object.entries(e.byEventType)) table.push([name, event, fmt(row)]);
  table.push(['publisher (claim-check)', 'OrderPlaced 300 KB', fmt(measured.claimCheck.publisher)]);
  for (const [name, row] of Object.entries(claimCheckConsumers))
    table.push([`${name} (claim-check)`, 'OrderPlaced 300 KB', fmt(row)]);
  console.log(table.toString());
  console.log(`Wrote ${MEASURED_REQUESTS_FILE} (${PER_EVENT_TYPE} messages per event type, commit ${commit}).`);
}

const fmt = (row: Record<string, number>) =>
  Object.entries(row)
    .filter(([k]) => !k.startsWith('write:') && !k.startsWith('read:'))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '-';

await main();
