import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConsumer,
  DynamoDbIdempotencyStore,
  type ConsumerDefinition,
} from '../../../../lambdas/runtime/index.ts';
import { tableEnvName } from '../../../../contracts/consumer-env.ts';
import { createTable, getItem, startDynamo, type LocalDynamo } from '../../../../test/support/emulators.ts';
import { lambdaContext, rawRecord, snsRecord, stringAttribute } from '../../../../test/support/lambda-events.ts';
import { consumerConfig, emulatorQueueUrl } from '../../../../test/support/consumer-config.ts';

// The reference exactly-once handlers stage their writes: a worker that dies before, during or
// after the batch transaction leaves every effect exactly once after the redelivery.
let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynamo();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  await createTable(dynamo.client, 'idempotency', 'id');
  for (const [name, pk, sk] of [
    ['ledger', 'accountId'],
    ['sent-emails', 'emailId'],
    ['reservations', 'orderId', 'sku'],
    ['job-results', 'jobId'],
  ] as const) {
    process.env[tableEnvName(name)] = name;
    await createTable(dynamo.client, name, pk, sk);
  }
});
afterAll(() => dynamo.close());

type Moment = 'before the commit' | 'during the commit (applied, response lost)';

/** A client whose first transaction dies at `moment`: the invocation fails, as if its worker died. */
async function dying(moment: Moment): Promise<DynamoDBClient> {
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: await dynamo.client.config.credentials(),
  });
  let armed = true;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!armed || context.commandName !== 'TransactWriteItemsCommand') return next(args);
      armed = false;
      if (moment === 'before the commit') throw Object.assign(new Error('worker died'), { name: 'TimeoutError' });
      await next(args);
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    },
    { step: 'initialize', name: 'dieOnce' },
  );
  return client;
}

async function deliverTwice(
  handlerFile: string,
  name: string,
  records: () => SQSRecord[],
  moment: Moment,
  source: 'sns' | 'sqs' = 'sns',
) {
  const { handler } = (await import(`../../handlers/${handlerFile}.ts`)) as {
    handler: { definition: ConsumerDefinition<Record<string, never>> };
  };
  const config = consumerConfig({
    name,
    delivery: 'exactly-once',
    source,
    idempotencyTable: 'idempotency',
    keySources: [{ attribute: 'idempotencyKey' }, 'sns-message-id', 'message-id'],
    queueUrl: emulatorQueueUrl(name),
  });
  const client = await dying(moment);
  const store = new DynamoDbIdempotencyStore(client, 'idempotency');
  const first = await createConsumer(handler.definition, config, { store, dynamodb: client, sink: () => {} })(
    { Records: records() },
    lambdaContext(),
  );
  expect(first.batchItemFailures.length).toBeGreaterThan(0);
  const again = await createConsumer(handler.definition, config, { store, dynamodb: client, sink: () => {} })(
    { Records: records() },
    lambdaContext(),
  );
  expect(again.batchItemFailures).toEqual([]);
  client.destroy();
}

const moments: Moment[] = ['before the commit', 'during the commit (applied, response lost)'];
const key = (k: string) => ({ attributes: { idempotencyKey: k } });

describe.each(moments)('a worker that dies %s', (moment) => {
  const tag = moment === 'before the commit' ? 'b' : 'd';

  it('ledger: every posting once', async () => {
    const records = () => [
      snsRecord(
        'PaymentCaptured',
        { accountId: `${tag}-acc`, paymentId: `${tag}-p1`, amountCents: 100 },
        key(`${tag}-p1`),
      ),
      snsRecord(
        'PaymentRefunded',
        { accountId: `${tag}-acc`, paymentId: `${tag}-p1`, refundId: `${tag}-r1`, amountCents: 40 },
        key(`${tag}-r1`),
      ),
    ];
    await deliverTwice('ledger', 'ledger', records, moment);
    const row = await getItem(dynamo.client, 'ledger', { accountId: { S: `${tag}-acc` } });
    expect({ balance: row?.balanceCents?.N, entries: row?.entries?.N }).toEqual({ balance: '60', entries: '2' });
  });

  it('email: one send per message', async () => {
    const records = () => [
      snsRecord(
        'OrderShipped',
        { orderId: `${tag}-o1`, email: 'a@example.com', carrier: 'ups', trackingId: 't' },
        key(`${tag}-ship`),
      ),
    ];
    await deliverTwice('email', 'email', records, moment);
    expect((await getItem(dynamo.client, 'sent-emails', { emailId: { S: `${tag}-o1#shipped` } }))?.sends?.N).toBe('1');
  });

  it('inventory: every row of the order reserved once, all or none', async () => {
    const order = {
      orderId: `${tag}-o2`,
      customerId: 'c',
      email: 'a@example.com',
      items: [
        { sku: 's1', quantity: 2 },
        { sku: 's2', quantity: 3 },
      ],
      totalCents: 5,
    };
    await deliverTwice('inventory', 'inventory', () => [snsRecord('OrderPlaced', order, key(`${tag}-place`))], moment);
    const { Items = [] } = await dynamo.client.send(
      new QueryCommand({
        TableName: 'reservations',
        KeyConditionExpression: 'orderId = :o',
        ExpressionAttributeValues: { ':o': { S: order.orderId } },
      }),
    );
    // The order's own row counts its placements: one, however often the worker died.
    expect(Items.map((i) => [i.sku!.S, i.reserved?.N ?? i.placements?.N]).sort()).toEqual([
      ['#order', '1'],
      ['s1', '2'],
      ['s2', '3'],
    ]);
  });

  it('jobs: the result stored once, with the reply kept for duplicates', async () => {
    const job = { jobId: `${tag}-j1`, kind: 'word-count', input: 'a b c' };
    await deliverTwice(
      'jobs',
      'jobs',
      () => [rawRecord('JobRequested', job, { attributes: { idempotencyKey: stringAttribute(`${tag}-job`) } })],
      moment,
      'sqs',
    );
    expect((await getItem(dynamo.client, 'job-results', { jobId: { S: job.jobId } }))?.runs?.N).toBe('1');
    const record = await getItem(dynamo.client, 'idempotency', {
      id: { S: `jobs#JobRequested#attr:idempotencyKey:${tag}-job` },
    });
    expect(JSON.parse(record!.result!.S!)).toEqual({ jobId: job.jobId, result: '3' });
  });
});
