import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, type Publisher } from '../../client/publisher.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { drain } from '../support/drain.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

const order = (i: number) => ({
  orderId: `o-${i}`,
  customerId: 'c-1',
  email: 'a@example.com',
  items: [{ sku: 'sku-1', quantity: 1 }],
  totalCents: 100 * i,
});

let stack: FauxqsStack;
let publisher: Publisher<typeof fixtureTopology>;
const url = (name: string) => stack.outputs[OUTPUT_KEYS.queueUrl(name)]!;

beforeAll(async () => {
  stack = await startFauxqsStack();
  publisher = await createPublisher({ topology: fixtureTopology, target: stack.source });
});
afterAll(async () => {
  await publisher.close();
  await stack.stop();
});

describe('publish to a standard topic', () => {
  it('fans 25 CartPlaced out to every subscriber with eventType, correlationId and idempotency key attributes', async () => {
    const ids = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        publisher.publish('CartPlaced', order(i), { idempotencyKey: `key-${i}`, correlationId: `corr-${i}` }),
      ),
    );
    expect(new Set(ids).size).toBe(25);
    const inventory = await drain(stack.clients.sqs, url('inventory'), { max: 25 });
    expect(inventory).toHaveLength(25);
    const envelopes = inventory.map((m) => JSON.parse(m.Body!));
    const envelope = envelopes.find((e) => JSON.parse(e.Message).orderId === 'o-7');
    expect(JSON.parse(envelope.Message)).toEqual(order(7));
    expect(envelope.MessageAttributes.eventType.Value).toBe('CartPlaced');
    expect(envelope.MessageAttributes.correlationId.Value).toBe('corr-7');
    expect(envelope.MessageAttributes.idempotencyKey.Value).toBe('key-7');
    // analytics has raw delivery: the body is the payload itself, attributes are SQS attributes.
    const analytics = await drain(stack.clients.sqs, url('analytics'), { max: 25 });
    expect(analytics).toHaveLength(25);
    const raw = analytics.find((m) => JSON.parse(m.Body!).orderId === 'o-3')!;
    expect(JSON.parse(raw.Body!)).toEqual(order(3));
    expect(raw.MessageAttributes!.eventType!.StringValue).toBe('CartPlaced');
    await drain(stack.clients.sqs, url('email'));
    await drain(stack.clients.sqs, url('warehouse'));
  });

  it('routes by the eventType attribute: CartShipped reaches email and analytics only', async () => {
    await publisher.publish('CartShipped', {
      orderId: 'o-1',
      email: 'a@example.com',
      carrier: 'ups',
      trackingId: 't-1',
    });
    expect(await drain(stack.clients.sqs, url('email'))).toHaveLength(1);
    expect(await drain(stack.clients.sqs, url('analytics'))).toHaveLength(1);
    expect(await drain(stack.clients.sqs, url('inventory'))).toHaveLength(0);
    expect(await drain(stack.clients.sqs, url('warehouse'))).toHaveLength(0);
  });
});

describe('publish to a FIFO topic', () => {
  it('groups by the event type groupBy field and keeps each group in publish order', async () => {
    const published: { accountId: string; paymentId: string }[] = [];
    const sends: Promise<string>[] = [];
    for (let i = 0; i < 60; i++) {
      const p = { paymentId: `p-${i}`, accountId: `acct-${i % 4}`, amountCents: i + 1 };
      published.push(p);
      sends.push(
        i % 5 === 0
          ? publisher.publish('FundsRefunded', { ...p, refundId: `r-${i}` })
          : publisher.publish('FundsCaptured', p),
      );
    }
    await Promise.all(sends);
    const received: { accountId: string; paymentId: string }[] = [];
    const messages = await drain(stack.clients.sqs, url('ledger'), { max: 60 });
    for (const m of messages) {
      const payload = JSON.parse(JSON.parse(m.Body!).Message);
      expect(m.Attributes!.MessageGroupId).toBe(payload.accountId);
      received.push(payload);
    }
    expect(received).toHaveLength(60);
    for (const account of ['acct-0', 'acct-1', 'acct-2', 'acct-3']) {
      const sent = published.filter((p) => p.accountId === account).map((p) => p.paymentId);
      expect(received.filter((p) => p.accountId === account).map((p) => p.paymentId)).toEqual(sent);
    }
    await drain(stack.clients.sqs, url('audit'));
  });

  it('takes an explicit groupId over groupBy', async () => {
    await publisher.publish(
      'FundsCaptured',
      { paymentId: 'p-x', accountId: 'acct-9', amountCents: 5 },
      { groupId: 'custom' },
    );
    const [m] = await drain(stack.clients.sqs, url('audit'), { max: 1 });
    expect(m!.Attributes!.MessageGroupId).toBe('custom');
    await drain(stack.clients.sqs, url('ledger'));
  });
});

describe('send to a work queue', () => {
  it('sends TaskRequested straight to the jobs queue with its attributes', async () => {
    const id = await publisher.publish(
      'TaskRequested',
      { jobId: 'j-1', kind: 'checksum', input: 'abc' },
      { idempotencyKey: 'j-1' },
    );
    const [m] = await drain(stack.clients.sqs, url('jobs'), { max: 1 });
    expect(m!.MessageId).toBe(id);
    expect(JSON.parse(m!.Body!)).toEqual({ jobId: 'j-1', kind: 'checksum', input: 'abc' });
    expect(m!.MessageAttributes!.eventType!.StringValue).toBe('TaskRequested');
    expect(m!.MessageAttributes!.idempotencyKey!.StringValue).toBe('j-1');
  });
});
