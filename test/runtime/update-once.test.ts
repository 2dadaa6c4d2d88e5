import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumerConfig,
  createConsumer,
  DynamoDbIdempotencyStore,
  type IdempotencyStore,
} from '../../lambdas/runtime/index.ts';
import { tableEnvName } from '../../topology/consumer-env.ts';
import { createTable, getItem, startDynamo, type LocalDynamo } from './support/emulators.ts';
import { captureSink, lambdaContext, snsRecord } from './support/events.ts';
import { crashingAfterEffect } from './support/crashing-store.ts';
import { gate, pause } from './support/gate.ts';

// The email and inventory handlers fence their row writes by the message's idempotency key
// (`updateOnce`), so a crash between the write and the idempotency completion does not repeat them.
let dynamo: LocalDynamo;
let store: IdempotencyStore;
beforeAll(async () => {
  dynamo = await startDynamo();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  process.env[tableEnvName('sent-emails')] = 'sent-emails';
  process.env[tableEnvName('reservations')] = 'reservations';
  await createTable(dynamo.client, 'idempotency', 'id');
  await createTable(dynamo.client, 'sent-emails', 'emailId');
  await createTable(dynamo.client, 'reservations', 'orderId', 'sku');
  store = new DynamoDbIdempotencyStore(dynamo.client, 'idempotency');
});
afterAll(async () => dynamo.close());

const config = (name: string) =>
  consumerConfig({ name, delivery: 'exactly-once', source: 'sns', idempotencyTable: 'idempotency', keySources: ['sns-message-id'] });


const order = (orderId: string) => ({
  orderId,
  customerId: 'c-1',
  email: 'a@example.com',
  items: [
    { sku: 'sku-1', quantity: 2 },
    { sku: 'sku-2', quantity: 1 },
  ],
  totalCents: 500,
});

describe('updateOnce in the reference handlers', () => {
  it('email: a redelivery after a crash between the send and the completion sends nothing more', async () => {
    const { handler: email } = await import('../../lambdas/handlers/email.ts');
    const completing = gate();
    const capture = captureSink();
    const crashing = createConsumer(email.definition, config('email'), { store: crashingAfterEffect(store, completing), sink: capture.sink });
    const healthy = createConsumer(email.definition, config('email'), { store, sink: capture.sink });
    const delivery = (receiveCount: number) => snsRecord('OrderPlaced', order('o-email'), { snsMessageId: 'sns-email-1', receiveCount });

    const crashed = crashing({ Records: [delivery(1)] }, lambdaContext(400));
    await completing.reached;
    await pause(500); // the dead holder's lease ends
    const late = delivery(2);
    expect((await healthy({ Records: [late] }, lambdaContext())).batchItemFailures).toEqual([]);
    const row = await getItem(dynamo.client, 'sent-emails', { emailId: { S: 'o-email#confirmation' } });
    expect(Number(row?.sends?.N)).toBe(1);
    expect(row?.fanoutAppliedKeys?.SS).toEqual(['email#OrderPlaced#sns:sns-email-1']);

    // A different message for another email still sends.
    const shipped = snsRecord('OrderShipped', { orderId: 'o-email', email: 'a@example.com', carrier: 'ups', trackingId: 't-1' });
    expect((await healthy({ Records: [shipped] }, lambdaContext())).batchItemFailures).toEqual([]);
    expect(Number((await getItem(dynamo.client, 'sent-emails', { emailId: { S: 'o-email#shipped' } }))?.sends?.N)).toBe(1);
    completing.open();
    await crashed;
  });

  it('inventory: a placed-then-cancelled order reserves and releases each row exactly once across a crash', async () => {
    const { handler: inventory } = await import('../../lambdas/handlers/inventory.ts');
    const completing = gate();
    const crashing = createConsumer(inventory.definition, config('inventory'), { store: crashingAfterEffect(store, completing), sink: captureSink().sink });
    const healthy = createConsumer(inventory.definition, config('inventory'), { store, sink: captureSink().sink });
    const placed = (receiveCount: number) => snsRecord('OrderPlaced', order('o-inv'), { snsMessageId: 'sns-inv-placed', receiveCount });

    const crashed = crashing({ Records: [placed(1)] }, lambdaContext(400));
    await completing.reached;
    // The cancellation lands on the rows before the placed order's redelivery.
    const cancel = snsRecord('OrderCancelled', { orderId: 'o-inv', reason: 'changed mind' }, { snsMessageId: 'sns-inv-cancel' });
    expect((await healthy({ Records: [cancel] }, lambdaContext())).batchItemFailures).toEqual([]);
    await pause(500);
    expect((await healthy({ Records: [placed(2)] }, lambdaContext())).batchItemFailures).toEqual([]);

    for (const [sku, quantity] of [['sku-1', 2], ['sku-2', 1]] as const) {
      const row = await getItem(dynamo.client, 'reservations', { orderId: { S: 'o-inv' }, sku: { S: sku } });
      expect({ sku, reserved: Number(row?.reserved?.N), releases: Number(row?.releases?.N), status: row?.status?.S }).toEqual({
        sku,
        reserved: quantity,
        releases: 1,
        status: 'released',
      });
    }
    completing.open();
    await crashed;
  });

  it("keeps the caller's own condition: its failure is an error, not a skipped duplicate", async () => {
    const { updateOnce } = await import('../../lambdas/runtime/index.ts');
    const ctx = { idempotencyKey: 'k-1', log: () => {} } as never;
    const write = {
      TableName: 'sent-emails',
      Key: { emailId: { S: 'conditional' } },
      UpdateExpression: 'SET template = :t',
      ConditionExpression: 'attribute_exists(emailId)',
      ExpressionAttributeValues: { ':t': { S: 'x' } },
    };
    await expect(updateOnce(ctx, write)).rejects.toThrow('The conditional request failed');
    expect(await getItem(dynamo.client, 'sent-emails', { emailId: { S: 'conditional' } })).toBeUndefined();
  });
});

describe('updateOnce finds the ADD clause, not a name that ends in "add"', () => {
  it('adds its fence as a new ADD clause when the only "add" is a placeholder', async () => {
    const { updateOnce } = await import('../../lambdas/runtime/update-once.ts');
    const ctx = { idempotencyKey: 'email#OrderPlaced#attr:idempotencyKey:k-add', log: () => {} } as unknown as Parameters<typeof updateOnce>[0];
    const input = {
      TableName: 'sent-emails',
      Key: { emailId: { S: 'placeholder-add' } },
      UpdateExpression: 'SET #add = :v',
      ExpressionAttributeNames: { '#add': 'address' },
      ExpressionAttributeValues: { ':v': { S: 'x' } },
    };
    expect(await updateOnce(ctx, input)).toBe(true);
    expect(await updateOnce(ctx, input)).toBe(false);
    const row = await getItem(dynamo.client, 'sent-emails', { emailId: { S: 'placeholder-add' } });
    expect(row?.address?.S).toBe('x');
    expect(row?.fanoutAppliedKeys?.SS).toEqual([ctx.idempotencyKey]);
  });
});
