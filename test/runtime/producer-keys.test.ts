import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerEnvironment } from '../../lib/consumer-environment.ts';
import { handler as ledger } from '../../examples/shop/handlers/ledger.ts';
import { createConsumer, readConsumerConfig } from '../../lambdas/runtime/index.ts';
import { resolveTopology } from '../../topology/index.ts';
import { referenceTopology } from '../../examples/shop/topology.ts';
import { deadLetterReasonOf, drain, startSqs, type LocalSqs } from './support/emulators.ts';
import { captureSink, lambdaContext, snsRecord } from './support/events.ts';
import { IDEMPOTENCY_TABLE, payment, startLedgerWorld, type LedgerWorld } from './support/ledger-world.ts';

// A duplicate is silent only when everything the producer said agrees: the business key, the payload
// and the producer's own key. Two messages under one business key with different producer keys are
// two messages: never a copy of each other.
let world: LedgerWorld;
let sqs: LocalSqs;
beforeAll(async () => {
  world = await startLedgerWorld();
  sqs = await startSqs();
});
afterAll(async () => {
  await world.close();
  await sqs.close();
});

const keyed = (accountId: string, key: string) => ({ groupId: accountId, attributes: { idempotencyKey: key } });

describe('a business key shared by messages with different producer keys', () => {
  it('is dead-lettered with a reason naming both producer keys, never acknowledged as a duplicate', async () => {
    const dlq = sqs.createQueue('producer-keys-dlq.fifo', { FifoQueue: 'true' });
    const { handler, capture } = world.consumer(
      { keySources: [{ field: 'paymentId' }], deadLetterQueueUrl: dlq },
      { sqs: sqs.client },
    );
    const body = payment('acc-pk1', 'p-pk1', 100);
    await handler({ Records: [snsRecord('PaymentCaptured', body, keyed('acc-pk1', 'k-first'))] }, lambdaContext());
    const other = snsRecord('PaymentCaptured', body, keyed('acc-pk1', 'k-second'));
    const copy = snsRecord('PaymentCaptured', body, keyed('acc-pk1', 'k-first'));
    expect(await handler({ Records: [other, copy] }, lambdaContext())).toEqual({ batchItemFailures: [] });

    expect(capture.outcomeOf(copy.messageId)).toMatchObject({ outcome: 'duplicate' });
    expect(capture.outcomeOf(other.messageId)).toMatchObject({
      outcome: 'dead-lettered',
      errorKind: 'idempotency-key-reused',
    });
    expect(await world.balance('acc-pk1')).toEqual({ balance: 100, entries: 1 });
    const [dead] = await drain(sqs.client, dlq);
    expect(deadLetterReasonOf(dead!)).toMatchObject({ kind: 'idempotency-key-reused', consumer: 'ledger' });
    expect(deadLetterReasonOf(dead!)!.message).toContain(
      "idempotency key 'ledger#PaymentCaptured#field:paymentId:p-pk1' already belongs to the message with producer key 'k-first'; " +
        "this one has producer key 'k-second' and the same payload, so it is another message, not a copy of it.",
    );
  });

  it('is refused in the same batch too, and a lease lock of another producer key is never taken over', async () => {
    const { handler, capture } = world.consumer({ fifo: false, keySources: [{ field: 'paymentId' }] });
    const body = payment('acc-pk2', 'p-pk2', 70);
    const first = snsRecord('PaymentCaptured', body, { attributes: { idempotencyKey: 'k-1' } });
    const second = snsRecord('PaymentCaptured', body, { attributes: { idempotencyKey: 'k-2' } });
    await handler({ Records: [first, second] }, lambdaContext());
    expect(capture.outcomeOf(second.messageId)).toMatchObject({ errorKind: 'idempotency-key-reused' });
    expect(await world.balance('acc-pk2')).toEqual({ balance: 70, entries: 1 });
    expect((await world.record('ledger#PaymentCaptured#field:paymentId:p-pk2'))?.producerKey?.S).toBe('k-1');
  });
});

describe('the shop ledger keys refunds by refundId (topology: idempotencyKeyByEvent)', () => {
  it('refunds of 100, 100 and 250 on one payment, each with its own producer key, all apply: 1000 - 450 = 550', async () => {
    const endpoint = resolveTopology(referenceTopology, 'dev').endpoints.find((e) => e.name === 'ledger')!;
    // The configuration a deployed ledger reads: the stack's environment, through the contract.
    const config = readConsumerConfig({
      ...consumerEnvironment(endpoint, {
        queueUrl: 'http://queue',
        idempotencyTableName: IDEMPOTENCY_TABLE,
        replyQueuePrefix: 'fanout-dev-reply-',
        tableNames: { ledger: 'ledger' },
      }),
    });
    const capture = captureSink();
    const handler = createConsumer(ledger.definition, config, { store: world.store, sink: capture.sink });
    const account = 'acc-refunds';
    const refund = (refundId: string, amountCents: number) =>
      snsRecord(
        'PaymentRefunded',
        { ...payment(account, 'p-refunded', amountCents), refundId },
        keyed(account, `producer-${refundId}`),
      );
    const records = [
      snsRecord('PaymentCaptured', payment(account, 'p-refunded', 1000), keyed(account, 'producer-capture')),
      refund('r-1', 100),
      refund('r-2', 100),
      refund('r-3', 250),
    ];
    expect(await handler({ Records: records }, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(records.map((r) => capture.outcomeOf(r.messageId)?.outcome)).toEqual([
      'processed',
      'processed',
      'processed',
      'processed',
    ]);
    expect(await world.balance(account)).toEqual({ balance: 550, entries: 4 });
    // A redelivery of a refund is still a duplicate.
    await handler({ Records: [refund('r-2', 100)] }, lambdaContext());
    expect(await world.balance(account)).toEqual({ balance: 550, entries: 4 });
  });
});
