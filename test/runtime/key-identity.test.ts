import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterReasonOf, startSqs, type LocalSqs } from '../support/emulators.ts';
import { drain } from '../support/drain.ts';
import { lambdaContext, snsRecord } from '../support/lambda-events.ts';
import { payment, startLedgerWorld, type LedgerWorld } from '../support/ledger-world.ts';

// What one idempotency key means: one logical message of one event type, with one payload.
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

const group = (accountId: string) => ({ groupId: accountId });

describe('idempotency keys name one message of one event type with one payload', () => {
  it('a capture and its refund keyed by the same paymentId both apply (keys are scoped by event type)', async () => {
    const { handler, capture } = world.consumer({ fifo: true });
    const body = payment('acc-k1', 'p-k1', 500);
    const keyedByPayment = { attributes: { idempotencyKey: 'p-k1' } };
    const captured = snsRecord('FundsCaptured', body, { ...group('acc-k1'), ...keyedByPayment });
    const refunded = snsRecord(
      'FundsRefunded',
      { ...body, refundId: 'r-k1' },
      { ...group('acc-k1'), ...keyedByPayment },
    );
    await handler({ Records: [captured, refunded] }, lambdaContext());
    expect(capture.outcomeOf(refunded.messageId)).toMatchObject({ outcome: 'processed' });
    expect(await world.balance('acc-k1')).toEqual({ balance: 0, entries: 2 });
  });

  it('the same with a payload-field key: { field: "paymentId" }', async () => {
    const { handler } = world.consumer({ fifo: true, keySources: [{ field: 'paymentId' }] });
    const body = payment('acc-k2', 'p-k2', 300);
    await handler(
      {
        Records: [
          snsRecord('FundsCaptured', body, group('acc-k2')),
          snsRecord('FundsRefunded', { ...body, refundId: 'r-k2' }, group('acc-k2')),
        ],
      },
      lambdaContext(),
    );
    // A redelivery of the capture (another SNS copy, same business key) is a duplicate.
    await handler({ Records: [snsRecord('FundsCaptured', body, group('acc-k2'))] }, lambdaContext());
    expect(await world.balance('acc-k2')).toEqual({ balance: 0, entries: 2 });
  });

  it('a key reused with a different payload is dead-lettered as idempotency-key-reused, and the first stays applied', async () => {
    const dlq = sqs.createQueue('ledger-dlq.fifo', { FifoQueue: 'true' });
    const { handler, capture } = world.consumer(
      { fifo: true, keySources: [{ field: 'paymentId' }], deadLetterQueueUrl: dlq },
      { sqs: sqs.client },
    );
    await handler(
      { Records: [snsRecord('FundsCaptured', payment('acc-k3', 'p-k3', 100), group('acc-k3'))] },
      lambdaContext(),
    );
    const reused = snsRecord('FundsCaptured', payment('acc-k3', 'p-k3', 9_999), group('acc-k3'));
    const response = await handler({ Records: [reused] }, lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(capture.outcomeOf(reused.messageId)).toMatchObject({
      outcome: 'dead-lettered',
      errorKind: 'idempotency-key-reused',
    });
    expect(await world.balance('acc-k3')).toEqual({ balance: 100, entries: 1 });
    const [dead] = await drain(sqs.client, dlq, { delete: false });
    expect(deadLetterReasonOf(dead!)).toMatchObject({ kind: 'idempotency-key-reused', consumer: 'ledger' });
  });

  it('two different payloads under one key in the same batch: the first applies, the second is dead-lettered', async () => {
    const dlq = sqs.createQueue('ledger-dlq-2');
    const { handler, capture } = world.consumer(
      { fifo: false, keySources: [{ field: 'paymentId' }], deadLetterQueueUrl: dlq },
      { sqs: sqs.client },
    );
    const first = snsRecord('FundsCaptured', payment('acc-k4', 'p-k4', 10));
    const second = snsRecord('FundsCaptured', payment('acc-k4', 'p-k4', 20));
    await handler({ Records: [first, second] }, lambdaContext());
    expect(capture.outcomeOf(second.messageId)).toMatchObject({
      outcome: 'dead-lettered',
      errorKind: 'idempotency-key-reused',
    });
    expect(await world.balance('acc-k4')).toEqual({ balance: 10, entries: 1 });
  });
});
