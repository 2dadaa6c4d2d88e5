import { QueryCommand } from '@aws-sdk/client-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as inventory } from '../../handlers/inventory.ts';
import { createConsumer, DynamoDbIdempotencyStore } from '../../../../lambdas/runtime/index.ts';
import { tableEnvName } from '../../../../contracts/consumer-env.ts';
import { createTable, startDynamo, type LocalDynamo } from '../../../../test/support/emulators.ts';
import { lambdaContext, snsRecord } from '../../../../test/support/lambda-events.ts';
import { consumerConfig, emulatorQueueUrl } from '../../../../test/support/consumer-config.ts';

// A standard topic promises no order, and a batch's records run in parallel: a cancel delivered
// before, beside (same batch) or after its placement must leave no stock reserved.
let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynamo();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  process.env[tableEnvName('reservations')] = 'reservations';
  await createTable(dynamo.client, 'idempotency', 'id');
  await createTable(dynamo.client, 'reservations', 'orderId', 'sku');
});
afterAll(() => dynamo.close());

function consumer() {
  const config = consumerConfig({
    name: 'inventory',
    delivery: 'exactly-once',
    source: 'sns',
    idempotencyTable: 'idempotency',
    keySources: [{ attribute: 'idempotencyKey' }, 'sns-message-id', 'message-id'],
    queueUrl: emulatorQueueUrl('inventory'),
  });
  const store = new DynamoDbIdempotencyStore(dynamo.client, 'idempotency');
  return createConsumer(inventory.definition, config, { store, sink: () => {} });
}

/** Delivers batches in order; a failed record comes back in the next batch (as SQS would), until none fails. */
async function deliver(batches: readonly (readonly SQSRecord[])[]): Promise<void> {
  const handler = consumer();
  let pending = batches.map((b) => [...b]);
  for (let round = 0; pending.length > 0; round++) {
    if (round > 20) throw new Error('records still failing after 20 rounds');
    const [batch, ...rest] = pending;
    const { batchItemFailures } = await handler({ Records: batch! }, lambdaContext());
    const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
    const again = batch!
      .filter((r) => failed.has(r.messageId))
      .map((r) => ({
        ...r,
        attributes: {
          ...r.attributes,
          ApproximateReceiveCount: String(Number(r.attributes.ApproximateReceiveCount) + 1),
        },
      }));
    pending = again.length > 0 ? [again, ...rest] : rest;
  }
}

async function rows(orderId: string) {
  const { Items = [] } = await dynamo.client.send(
    new QueryCommand({
      TableName: 'reservations',
      KeyConditionExpression: 'orderId = :o',
      ExpressionAttributeValues: { ':o': { S: orderId } },
      ConsistentRead: true,
    }),
  );
  return Items.filter((i) => i.sku?.S !== '#order').map((i) => ({
    sku: i.sku!.S!,
    reserved: Number(i.reserved?.N ?? 0),
    status: i.status?.S,
    releases: Number(i.releases?.N ?? 0),
  }));
}

let orders = 0;
const placed = (orderId: string, items: readonly { sku: string; quantity: number }[], key: string) =>
  snsRecord(
    'OrderPlaced',
    { orderId, customerId: 'c', email: 'a@example.com', items, totalCents: 1 },
    { attributes: { idempotencyKey: key } },
  );
const cancelled = (orderId: string, key: string) =>
  snsRecord('OrderCancelled', { orderId, reason: 'changed mind' }, { attributes: { idempotencyKey: key } });

describe('inventory: place and cancel of one order in any delivery order', () => {
  it('a placement and its cancel in one batch leave no stock reserved', async () => {
    const orderId = `o-batch-${++orders}`;
    const items = [{ sku: 'a', quantity: 2 }];
    await deliver([[placed(orderId, items, `${orderId}-p`), cancelled(orderId, `${orderId}-c`)]]);
    expect((await rows(orderId)).filter((r) => r.status === 'reserved')).toEqual([]);
  });

  it('an order listing one sku twice reserves their sum (one transaction may not write an item twice)', async () => {
    const orderId = `o-twice-${++orders}`;
    const items = [
      { sku: 'a', quantity: 2 },
      { sku: 'b', quantity: 1 },
      { sku: 'a', quantity: 3 },
    ];
    await deliver([[placed(orderId, items, `${orderId}-p`)]]);
    expect(await rows(orderId)).toEqual([
      { sku: 'a', reserved: 5, status: 'reserved', releases: 0 },
      { sku: 'b', reserved: 1, status: 'reserved', releases: 0 },
    ]);
  });

  it('a cancel delivered before its placement: the placement reserves nothing', async () => {
    const orderId = `o-before-${++orders}`;
    await deliver([
      [cancelled(orderId, `${orderId}-c`)],
      [placed(orderId, [{ sku: 'a', quantity: 1 }], `${orderId}-p`)],
    ]);
    expect(await rows(orderId)).toEqual([]);
  });

  it('any arrangement of placements, cancels and their copies into batches leaves nothing reserved once cancelled', async () => {
    const message = fc.record({
      kind: fc.constantFrom('place' as const, 'cancel' as const),
      copy: fc.integer({ min: 1, max: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(message, { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 1, max: 3 }),
        async (messages, cuts, skus) => {
          const orderId = `o-any-${++orders}`;
          const items = Array.from({ length: skus }, (_, i) => ({ sku: `s${i}`, quantity: i + 1 }));
          // `copy` picks one of two keys per kind: equal keys are redeliveries, distinct ones separate messages.
          const records = messages.map((m) =>
            m.kind === 'place'
              ? placed(orderId, items, `${orderId}-p${m.copy}`)
              : cancelled(orderId, `${orderId}-c${m.copy}`),
          );
          const batches: SQSRecord[][] = [];
          for (let i = 0, c = 0; i < records.length; c++) {
            batches.push(records.slice(i, i + cuts[c % cuts.length]!));
            i += cuts[c % cuts.length]!;
          }
          await deliver(batches);
          const got = await rows(orderId);
          const placements = new Set(messages.filter((m) => m.kind === 'place').map((m) => m.copy)).size;
          if (messages.some((m) => m.kind === 'cancel')) {
            expect(got.filter((r) => r.status === 'reserved')).toEqual([]);
            for (const row of got) expect(row.releases).toBe(1);
          } else {
            // No cancel: every placement reserved once (two placements with distinct keys are two orders' worth).
            expect(got).toEqual(
              items.map((i) => ({ sku: i.sku, reserved: i.quantity * placements, status: 'reserved', releases: 0 })),
            );
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
