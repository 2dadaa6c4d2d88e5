import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerConfig, createConsumer, type IdempotencyStore } from '../../lambdas/runtime/index.ts';
import { captureSink, lambdaContext, snsRecord } from './support/events.ts';
import { gate, pause } from './support/gate.ts';
import { IDEMPOTENCY_TABLE, payment, startLedgerWorld, type LedgerWorld } from './support/ledger-world.ts';

let world: LedgerWorld;
beforeAll(async () => {
  world = await startLedgerWorld();
});
afterAll(async () => world.close());

const fifoLedger = consumerConfig({
  name: 'ledger',
  delivery: 'exactly-once',
  source: 'sns',
  fifo: true,
  idempotencyTable: IDEMPOTENCY_TABLE,
  keySources: ['sns-message-id', 'fifo-dedup-id'],
});

describe('the FIFO ledger under a crash between its posting and the idempotency completion', () => {
  it('applies the posting once: the redelivery after the lease finds it fenced by the sequence number', async () => {
    const { handler: ledger } = await import('../../lambdas/handlers/ledger.ts');
    const capture = captureSink();
    const completing = gate();
    // The holder "dies" after its posting: the completion never reaches the store in time.
    const crashingStore: IdempotencyStore = {
      acquire: (r) => world.store.acquire(r),
      complete: async (r) => {
        await completing.pass();
        return world.store.complete(r);
      },
      release: (r) => world.store.release(r),
    };
    const crashing = createConsumer(ledger.definition, fifoLedger, { store: crashingStore, sink: capture.sink });
    const healthy = createConsumer(ledger.definition, fifoLedger, { store: world.store, sink: capture.sink });
    // Every redelivery of one SQS FIFO message carries the same sequence number.
    const delivery = (receiveCount: number) =>
      snsRecord('PaymentCaptured', payment('fence-1', 'p-1', 100), {
        snsMessageId: 'sns-fence-1',
        groupId: 'fence-1',
        sequenceNumber: '18849496460467696128',
        receiveCount,
      });

    const crashed = crashing({ Records: [delivery(1)] }, lambdaContext(400));
    await completing.reached;
    expect(await world.balance('fence-1')).toEqual({ balance: 100, entries: 1 });

    await pause(500);
    const late = delivery(2);
    expect((await healthy({ Records: [late] }, lambdaContext())).batchItemFailures).toEqual([]);
    expect(capture.outcomeOf(late.messageId)).toMatchObject({ outcome: 'processed' });
    expect(await world.balance('fence-1')).toEqual({ balance: 100, entries: 1 });

    // A later payment of the same account (a larger sequence number) still posts.
    const next = snsRecord('PaymentCaptured', payment('fence-1', 'p-2', 50), {
      snsMessageId: 'sns-fence-2',
      groupId: 'fence-1',
      sequenceNumber: '18849496460467697128',
    });
    expect((await healthy({ Records: [next] }, lambdaContext())).batchItemFailures).toEqual([]);
    expect(await world.balance('fence-1')).toEqual({ balance: 150, entries: 2 });

    completing.open();
    await crashed;
  });
});
