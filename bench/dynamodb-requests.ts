/**
 * `npm run bench:dynamodb`: the CPU one DynamoDB request costs on this machine, on both sides of
 * the wire: the AWS SDK client (this Node process) and DynamoDB Local (its JVM), with the local
 * cloud's JVM flags against the JVM's defaults, over the first requests a fresh JVM serves and
 * again once it is warm. This is the floor under `bench:local`'s CPU per delivery: every request a
 * reference consumer makes costs at least this much, whatever the local cloud around it does.
 */
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import Table from 'cli-table3';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { childPids, cpuMsOf } from '../test/support/child-processes.ts';

const REQUESTS = 1_500;
const CONCURRENCY = 4;
const TRANSACTION_ITEMS = 20;

interface Operation {
  readonly name: string;
  /** Items a request writes or reads: costs are shown per item too. */
  readonly items: number;
  readonly send: (client: DynamoDBClient, id: string) => Promise<unknown>;
}

const OPERATIONS: readonly Operation[] = [
  {
    name: 'GetItem',
    items: 1,
    send: (c, id) => c.send(new GetItemCommand({ TableName: 'bench', Key: { k: { S: id } } })),
  },
  {
    name: 'PutItem',
    items: 1,
    send: (c, id) => c.send(new PutItemCommand({ TableName: 'bench', Item: { k: { S: id } } })),
  },
  {
    name: 'PutItem, conditional (a claim)',
    items: 1,
    send: (c, id) =>
      c.send(
        new PutItemCommand({
          TableName: 'bench',
          Item: { k: { S: id }, expiresAt: { N: '9' } },
          ConditionExpression: 'attribute_not_exists(k) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': { N: '5' } },
        }),
      ),
  },
  {
    name: 'UpdateItem ADD (a counter)',
    items: 1,
    send: (c) =>
      c.send(
        new UpdateItemCommand({
          TableName: 'bench',
          Key: { k: { S: 'counter' } },
          UpdateExpression: 'ADD #c :one',
          ExpressionAttributeNames: { '#c': 'count' },
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      ),
  },
  {
    name: `TransactWriteItems, ${TRANSACTION_ITEMS} puts`,
    items: TRANSACTION_ITEMS,
    send: (c, id) =>
      c.send(
        new TransactWriteItemsCommand({
          TransactItems: Array.from({ length: TRANSACTION_ITEMS }, (_, i) => ({
            Put: {
              TableName: 'bench',
              Item: { k: { S: `${id}-${i}` } },
              ConditionExpression: 'attribute_not_exists(k)',
            },
          })),
        }),
      ),
  },
];

interface Cost {
  readonly sdkMs: number;
  readonly jvmMs: number;
}

let ids = 0;

/** CPU per request of `requests` requests, CONCURRENCY at a time. */
async function measure(client: DynamoDBClient, jvmPid: number, op: Operation, requests: number): Promise<Cost> {
  const jvm0 = cpuMsOf(jvmPid);
  const node0 = process.cpuUsage();
  let sent = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (sent < requests) {
        sent++;
        await op.send(client, `id-${ids++}`);
      }
    }),
  );
  const node = process.cpuUsage(node0);
  return { sdkMs: (node.user + node.system) / 1000 / requests, jvmMs: (cpuMsOf(jvmPid) - jvm0) / requests };
}

/** Each operation on a fresh JVM (its first requests), then again after every operation ran once (warm). */
async function costs(steadyState: boolean): Promise<{ cold: Cost[]; warm: Cost[] }> {
  const before = new Set(childPids('java'));
  const emulator = await startDynamoDbLocal({ steadyState });
  const jvmPid = childPids('java').find((pid) => !before.has(pid))!;
  const client = new DynamoDBClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  await client.send(
    new CreateTableCommand({
      TableName: 'bench',
      KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const cold: Cost[] = [];
  for (const op of OPERATIONS) cold.push(await measure(client, jvmPid, op, REQUESTS / op.items));
  for (const op of OPERATIONS) await measure(client, jvmPid, op, (4 * REQUESTS) / op.items);
  const warm: Cost[] = [];
  for (const op of OPERATIONS) warm.push(await measure(client, jvmPid, op, REQUESTS / op.items));
  client.destroy();
  await emulator.stop();
  return { cold, warm };
}

const ms = (n: number) => `${n.toFixed(2)} ms`;
const local = await costs(false);
const defaults = await costs(true);
const table = new Table({
  head: [
    'request',
    'SDK client, Node',
    'JVM, local-cloud flags: first / warm',
    'JVM, defaults (C2): first / warm',
    'JVM per item, local flags (first)',
  ],
});
for (const [i, op] of OPERATIONS.entries()) {
  table.push([
    op.name,
    ms(local.cold[i]!.sdkMs),
    `${ms(local.cold[i]!.jvmMs)} / ${ms(local.warm[i]!.jvmMs)}`,
    `${ms(defaults.cold[i]!.jvmMs)} / ${ms(defaults.warm[i]!.jvmMs)}`,
    ms(local.cold[i]!.jvmMs / op.items),
  ]);
}
console.log(
  `CPU per request, ${CONCURRENCY} in flight; first = a fresh JVM's first requests, warm = after ${4 * REQUESTS} more of each kind`,
);
console.log(table.toString());
process.exit(0);
