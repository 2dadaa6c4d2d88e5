import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, type ConsumerDefinition, type ConsumerDependencies } from '../../lambdas/runtime/index.ts';
import { FundsCaptured } from '../fixtures/app/events.ts';
import { handler as directLedger } from '../fixtures/handlers/direct-ledger.ts';
import { receivedRecord } from '../support/emulators.ts';
import { captureSink, lambdaContext, snsRecord } from '../support/lambda-events.ts';
import { crashingAfterEffect } from './support/crashing-store.ts';
import { gate, pause } from './support/gate.ts';
import { IDEMPOTENCY_TABLE, payment, startLedgerWorld, type LedgerWorld } from '../support/ledger-world.ts';
import { consumerConfig } from '../support/consumer-config.ts';

let world: LedgerWorld;
beforeAll(async () => {
  world = await startLedgerWorld();
});
afterAll(async () => world.close());

async function ledgerBehind(
  blocker?: ReturnType<typeof gate>,
): Promise<ConsumerDefinition<{ FundsCaptured: typeof FundsCaptured }>> {
  return {
    events: { FundsCaptured },
    handlers: {
      FundsCaptured: async (p, ctx) => {
        await blocker?.pass();
        return directLedger.definition.handlers.FundsCaptured(p, ctx);
      },
    },
  };
}

const ledgerConsumer = async (dependencies: ConsumerDependencies, blocker?: ReturnType<typeof gate>) =>
  createConsumer(
    await ledgerBehind(blocker),
    consumerConfig({
      name: 'ledger',
      delivery: 'exactly-once',
      source: 'sns',
      idempotencyTable: IDEMPOTENCY_TABLE,
      keySources: ['sns-message-id'],
      queueUrl: world.queueUrl,
    }),
    { sqs: world.sqs.client, ...dependencies },
  );

describe('lock expiry and takeover', () => {
  it("takes over a lock whose holder outlived its lease; the old holder's completion is fenced out", async () => {
    const capture = captureSink();
    const blocker = gate();
    const zombie = await ledgerConsumer({ store: world.store, sink: capture.sink }, blocker);
    const successor = await ledgerConsumer({ store: world.store, sink: capture.sink });
    const old = snsRecord('FundsCaptured', payment('lease-1', 'p-1', 100), { snsMessageId: 'sns-lease-1' });
    const retry = snsRecord('FundsCaptured', payment('lease-1', 'p-1', 100), {
      snsMessageId: 'sns-lease-1',
      receiveCount: 2,
    });

    // The old holder's invocation has 400 ms left: its lease ends then.
    const held = zombie({ Records: [old] }, lambdaContext(400));
    await blocker.reached;
    await pause(500);
    expect((await successor({ Records: [retry] }, lambdaContext())).batchItemFailures).toEqual([]);
    const takenOver = await world.record('ledger#FundsCaptured#sns:sns-lease-1');
    expect(takenOver?.status?.S).toBe('COMPLETED');

    blocker.open();
    expect((await held).batchItemFailures).toEqual([]);
    expect(capture.outcomeOf(retry.messageId)).toMatchObject({ outcome: 'processed' });
    expect(capture.outcomeOf(old.messageId)).toMatchObject({
      outcome: 'processed',
      leaseLost: true,
      level: 'WARN',
      reason: 'completion fenced out: the lock was taken over after this lease ended',
    });
    expect(capture.metrics().find((m) => m.LeaseLost === 1)).toBeDefined();
    // The successor's completed record is intact: the stale completion did not overwrite it.
    expect(await world.record('ledger#FundsCaptured#sns:sns-lease-1')).toEqual(takenOver);
    // Effect semantics: a holder running past its lease (only possible past the invocation deadline,
    // i.e. a zombie, or with clock skew) makes its effect happen a second time. Fencing protects the
    // record, not a side effect outside it: here the ledger shows both postings.
    expect(await world.balance('lease-1')).toEqual({ balance: 200, entries: 2 });
  });

  it('a crash between the side effect and the completion repeats the effect after the lease ends (at-least-once effect)', async () => {
    const capture = captureSink();
    const completing = gate();
    const crashingStore = crashingAfterEffect(world.store, completing);
    const crashing = await ledgerConsumer({ store: crashingStore, sink: capture.sink });
    const healthy = await ledgerConsumer({ store: world.store, sink: capture.sink });
    const delivery = (n: number) =>
      snsRecord('FundsCaptured', payment('crash-1', 'p-1', 100), { snsMessageId: 'sns-crash-1', receiveCount: n });

    const first = delivery(1);
    const crashed = crashing({ Records: [first] }, lambdaContext(400));
    await completing.reached;
    expect(await world.balance('crash-1')).toEqual({ balance: 100, entries: 1 });

    // A redelivery inside the dead holder's lease is deferred (hidden on the queue): no second effect yet.
    const early = await receivedRecord(world.sqs.client, world.queueUrl, delivery(2));
    expect((await healthy({ Records: [early] }, lambdaContext())).batchItemFailures).toEqual([
      { itemIdentifier: early.messageId },
    ]);
    expect(capture.outcomeOf(early.messageId)).toMatchObject({
      outcome: 'deferred',
      reason: expect.stringMatching(/^in progress in another invocation until .*; hidden for \d+s$/),
    });
    expect(await world.balance('crash-1')).toEqual({ balance: 100, entries: 1 });

    // After the lease the lock is retaken and the non-idempotent effect runs again.
    await pause(500);
    const late = delivery(3);
    expect((await healthy({ Records: [late] }, lambdaContext())).batchItemFailures).toEqual([]);
    expect(capture.outcomeOf(late.messageId)).toMatchObject({ outcome: 'processed' });
    expect(await world.balance('crash-1')).toEqual({ balance: 200, entries: 2 });

    completing.open();
    await crashed;
    expect(capture.outcomeOf(first.messageId)).toMatchObject({
      outcome: 'processed',
      leaseLost: true,
    });
  });
});
