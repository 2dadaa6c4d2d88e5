import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, type Publisher } from '../../client/publisher.ts';
import { fifoDeduplicationId } from '../../contracts/message-identity.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { drain } from '../support/drain.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

// `payments` is a FIFO topic with content-based deduplication: two events with the same body (the
// event type is an attribute) would be merged by SNS without an explicit dedup id.
let stack: FauxqsStack;
let publisher: Publisher<typeof fixtureTopology>;
beforeAll(async () => {
  stack = await startFauxqsStack();
  publisher = await createPublisher({ topology: fixtureTopology, target: stack.source, clients: stack.clients });
});
afterAll(async () => {
  await publisher.close();
  await stack.stop();
});

const payloadOf = (m: { Body?: string }) => JSON.parse(JSON.parse(m.Body!).Message);
const attributeOf = (m: { Body?: string }, name: string) => JSON.parse(m.Body!).MessageAttributes?.[name]?.Value;

describe('FIFO topic with content-based deduplication', () => {
  it('delivers a capture and its refund, each with the dedup id of its event type, key and payload', async () => {
    const payment = { paymentId: 'p-1', accountId: 'a-1', amountCents: 500 };
    const refund = { ...payment, refundId: 'r-1' };
    await publisher.publish('FundsCaptured', payment, { idempotencyKey: 'capture-p-1' });
    await publisher.publish('FundsRefunded', refund, { idempotencyKey: 'refund-p-1' });
    const got = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('ledger')]!, {
      max: 3,
      quietReceives: 3,
    });
    expect(got.map((m) => attributeOf(m, 'eventType'))).toEqual(['FundsCaptured', 'FundsRefunded']);
    expect(got.map(payloadOf)).toEqual([payment, refund]);
    expect(got.map((m) => m.Attributes!.MessageDeduplicationId)).toEqual([
      fifoDeduplicationId('FundsCaptured', 'capture-p-1', payment),
      fifoDeduplicationId('FundsRefunded', 'refund-p-1', refund),
    ]);
  });

  it('deduplicates the same event type published twice with the same key', async () => {
    const payment = { paymentId: 'p-2', accountId: 'a-2', amountCents: 7 };
    await publisher.publish('FundsCaptured', payment, { idempotencyKey: 'k-2' });
    await publisher.publish('FundsCaptured', payment, { idempotencyKey: 'k-2' });
    const got = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('ledger')]!, {
      max: 2,
      quietReceives: 3,
    });
    expect(got.map(payloadOf)).toEqual([payment]);
    expect(got[0]!.Attributes!.MessageDeduplicationId).toBe(fifoDeduplicationId('FundsCaptured', 'k-2', payment));
  });

  it('a key reused with another payload is not merged by SNS: it reaches the consumer, which reports it', async () => {
    const first = { paymentId: 'p-4', accountId: 'a-4', amountCents: 100 };
    const second = { paymentId: 'p-4', accountId: 'a-4', amountCents: 200 };
    await publisher.publish('FundsCaptured', first, { idempotencyKey: 'k-4' });
    await publisher.publish('FundsCaptured', second, { idempotencyKey: 'k-4' });
    const got = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('ledger')]!, {
      max: 2,
      quietReceives: 3,
    });
    expect(got.map(payloadOf)).toEqual([first, second]);
  });

  it('an explicit deduplicationId overrides the derived one', async () => {
    const payment = { paymentId: 'p-3', accountId: 'a-3', amountCents: 1 };
    await publisher.publish('FundsCaptured', payment, { idempotencyKey: 'k-3', deduplicationId: 'mine-3' });
    const [m] = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('ledger')]!, { max: 1 });
    expect(m!.Attributes!.MessageDeduplicationId).toBe('mine-3');
    expect(attributeOf(m!, 'idempotencyKey')).toBe('k-3');
  });
});
