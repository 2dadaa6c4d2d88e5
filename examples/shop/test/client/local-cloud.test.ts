import { synthShop } from '../local/shop-cloud.ts';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localConnection } from '../../../../client/connection.ts';
import { RequestReplyNotConfiguredError } from '../../../../client/errors.ts';
import { createPublisher, type Publisher } from '../../../../client/publisher.ts';
import { connectOperator } from '../../../../client/operator.ts';
import { subscriberStatus } from '../../../../client/status.ts';
import { startLocalCloud, type LocalCloud } from '../../../../local/index.ts';
import { OUTPUT_KEYS } from '../../../../contracts/outputs.ts';
import { referenceTopology } from '../../topology.ts';
import { waitFor } from '../../../../test/support/local-cloud.ts';
import { sharedDynamoDb } from '../../../../test/support/shared-dynamodb.ts';

// End to end on the local cloud: the reference stack synthesized by lib/, run by local/ (bundled
// consumers in workers), published to by the client through the outputs the stack declares.
let cloud: LocalCloud;
let publisher: Publisher<typeof referenceTopology>;

const item = async (table: string, key: Record<string, string>) => {
  const { Item } = await cloud.clients.dynamodb.send(
    new GetItemCommand({
      TableName: cloud.outputs[OUTPUT_KEYS.tableName(table)],
      Key: Object.fromEntries(Object.entries(key).map(([k, v]) => [k, { S: v }])),
      ConsistentRead: true,
    }),
  );
  return Item;
};

beforeAll(async () => {
  cloud = await startLocalCloud({ ...synthShop(), dynamodb: sharedDynamoDb() });
  publisher = await createPublisher({
    topology: referenceTopology,
    target: {
      kind: 'static',
      outputs: cloud.outputs,
      connection: localConnection(cloud.endpoints.messaging, cloud.region),
    },
  });
});
afterAll(async () => {
  await publisher?.close();
  await cloud?.stop();
});

describe('client on the local cloud', () => {
  it('reads every address it needs from the stack outputs', () => {
    for (const e of publisher.target.endpointNames()) expect(publisher.target.endpoint(e).queueUrl).toMatch(/^http/);
    expect(publisher.target.payloadBucket()).toBeTruthy();
  });

  it('FIFO payments published in bulk land exactly once per account, in order (ledger balances)', async () => {
    const sends = [];
    for (let i = 0; i < 40; i++) {
      const payment = { paymentId: `pay-${i}`, accountId: `acct-${i % 4}`, amountCents: 100 };
      const options = { idempotencyKey: `pay-${i}` };
      sends.push(
        i % 10 === 9
          ? publisher.publish('PaymentRefunded', { ...payment, refundId: `refund-${i}` }, options)
          : publisher.publish('PaymentCaptured', payment, options),
      );
    }
    await Promise.all(sends);
    // Each account: 10 payments; refunds are i = 9, 19, 29, 39 → two each for acct-1 and acct-3.
    const expected = { 'acct-0': 1000, 'acct-1': 600, 'acct-2': 1000, 'acct-3': 600 };
    for (const [accountId, balance] of Object.entries(expected)) {
      const row = await waitFor(`ledger ${accountId}`, async () => {
        const r = await item('ledger', { accountId });
        return r && Number(r.entries!.N) === 10 ? r : undefined;
      });
      expect(Number(row.balanceCents!.N)).toBe(balance);
      expect(row.lastPaymentId!.S).toBe(`pay-${Number(accountId.slice(5)) + 36}`);
    }
  });

  it('a claim-checked payload over the SNS limit is resolved by the consumers', async () => {
    await publisher.publish('OrderPlaced', {
      orderId: 'big-1',
      customerId: 'c-1',
      email: 'big@example.com',
      items: [{ sku: 'sku-big', quantity: 2 }],
      totalCents: 1,
    });
    const reservation = await waitFor('reservation of big-1', () =>
      item('reservations', { orderId: 'big-1', sku: 'sku-big' }),
    );
    expect(reservation.status!.S).toBe('reserved');
    await publisher.publish('OrderCancelled', { orderId: 'big-1', reason: 'x'.repeat(300_000) });
    const released = await waitFor('release of big-1', async () => {
      const r = await item('reservations', { orderId: 'big-1', sku: 'sku-big' });
      return r?.status?.S === 'released' ? r : undefined;
    });
    expect(Number(released.releases!.N)).toBe(1);
    const counted = await waitFor(
      'analytics count',
      async () => (await item('event-counts', { eventType: 'OrderCancelled' })) ?? undefined,
    );
    expect(Number(counted.count!.N)).toBe(1);
  });

  it('request/reply: a job request is answered with the result the jobs consumer computed', async () => {
    const reply = await publisher.request(
      'JobRequested',
      { jobId: 'job-rr-1', kind: 'word-count', input: 'one two three four' },
      { idempotencyKey: 'job-rr-1', timeoutMs: 20_000 },
    );
    expect(reply).toEqual({ jobId: 'job-rr-1', result: '4' });
    const stored = await item('job-results', { jobId: 'job-rr-1' });
    expect(stored?.result?.S).toBe('4');
    expect(Number(stored?.runs?.N)).toBe(1);
    // The same request again is answered from the idempotency record: the same result, not null.
    const again = await publisher.request(
      'JobRequested',
      { jobId: 'job-rr-1', kind: 'word-count', input: 'one two three four' },
      { idempotencyKey: 'job-rr-1', timeoutMs: 20_000 },
    );
    expect(again).toEqual(reply);
    expect(Number((await item('job-results', { jobId: 'job-rr-1' }))?.runs?.N)).toBe(1);
  });

  it('request/reply: a request to a topic, which answers none, throws at once', async () => {
    const order = { orderId: 'o-rr', customerId: 'c', email: 'rr@example.com', items: [], totalCents: 1 };
    await expect(publisher.request('OrderPlaced', order, { timeoutMs: 600_000 })).rejects.toThrow(
      RequestReplyNotConfiguredError,
    );
  });

  it('status reads the local cloud queues through the same outputs', async () => {
    const ops = await connectOperator({
      topology: referenceTopology,
      source: {
        kind: 'static',
        outputs: cloud.outputs,
        connection: localConnection(cloud.endpoints.messaging, cloud.region),
      },
    });
    const rows = await subscriberStatus(ops);
    ops.close();
    expect(rows.map((r) => r.name)).toEqual([
      'inventory',
      'email',
      'warehouse',
      'analytics',
      'ledger',
      'audit',
      'jobs',
    ]);
    expect(
      rows.every((r) => r.visible >= 0 && (r.name === 'analytics' ? r.dlqVisible === undefined : r.dlqVisible === 0)),
    ).toBe(true);
  });
});
