import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterReasonOf, startSqs, type LocalSqs } from '../support/emulators.ts';
import { drain } from '../support/drain.ts';
import { lambdaContext, snsRecord } from '../support/lambda-events.ts';
import { payment, startLedgerWorld, type LedgerWorld } from '../support/ledger-world.ts';

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
    await handler({ Records: [snsRecord('FundsCaptured', body, keyed('acc-pk1', 'k-first'))] }, lambdaContext());
    const other = snsRecord('FundsCaptured', body, keyed('acc-pk1', 'k-second'));
    const copy = snsRecord('FundsCaptured', body, keyed('acc-pk1', 'k-first'));
    expect(await handler({ Records: [other, copy] }, lambdaContext())).toEqual({ batchItemFailures: [] });

    expect(capture.outcomeOf(copy.messageId)).toMatchObject({ outcome: 'duplicate' });
    expect(capture.outcomeOf(other.messageId)).toMatchObject({
      outcome: 'dead-lettered',
      errorKind: 'idempotency-key-reused',
    });
    expect(await world.balance('acc-pk1')).toEqual({ balance: 100, entries: 1 });
    const [dead] = await drain(sqs.client, dlq, { delete: false });
    expect(deadLetterReasonOf(dead!)).toMatchObject({ kind: 'idempotency-key-reused', consumer: 'ledger' });
    expect(deadLetterReasonOf(dead!)!.message).toContain(
      "idempotency key 'ledger#FundsCaptured#field:paymentId:p-pk1' already belongs to the message with producer key 'k-first'; " +
        "this one has producer key 'k-second' and the same payload, so it is another message, not a copy of it.",
    );
  });

  it('is refused in the same batch too, and a lease lock of another producer key is never taken over', async () => {
    const { handler, capture } = world.consumer({ fifo: false, keySources: [{ field: 'paymentId' }] });
    const body = payment('acc-pk2', 'p-pk2', 70);
    const first = snsRecord('FundsCaptured', body, { attributes: { idempotencyKey: 'k-1' } });
    const second = snsRecord('FundsCaptured', body, { attributes: { idempotencyKey: 'k-2' } });
    await handler({ Records: [first, second] }, lambdaContext());
    expect(capture.outcomeOf(second.messageId)).toMatchObject({ errorKind: 'idempotency-key-reused' });
    expect(await world.balance('acc-pk2')).toEqual({ balance: 70, entries: 1 });
    expect((await world.record('ledger#FundsCaptured#field:paymentId:p-pk2'))?.producerKey?.S).toBe('k-1');
  });
});
