import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer } from '../../lambdas/runtime/index.ts';
import { FundsCaptured, FundsRefunded } from '../fixtures/app/events.ts';
import { handler as directLedger } from '../fixtures/handlers/direct-ledger.ts';
import { deadLetterReasonOf, startSqs, type LocalSqs } from '../support/emulators.ts';
import { drain } from '../support/drain.ts';
import { captureSink, lambdaContext, snsRecord } from '../support/lambda-events.ts';
import { pause } from './support/gate.ts';
import { IDEMPOTENCY_TABLE, payment, startLedgerWorld, type LedgerWorld } from '../support/ledger-world.ts';
import { consumerConfig } from '../support/consumer-config.ts';

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

describe('FIFO batches', () => {
  it('runs groups in parallel, in order within a group; a failure fails the rest of its group only', async () => {
    const queueUrl = sqs.createQueue('ledger.fifo', { FifoQueue: 'true' });
    const dlq = sqs.createQueue('ledger-dlq.fifo', { FifoQueue: 'true' });
    const calls: string[] = [];
    let groupBFinished = false;
    let a1SawGroupBFinished = false;
    const capture = captureSink();
    const handler = createConsumer(
      {
        events: { FundsCaptured, FundsRefunded },
        handlers: {
          FundsCaptured: async (p, ctx) => {
            calls.push(p.paymentId);
            if (p.paymentId === 'a1') {
              // Holds group A until group B is done (or gives up): proves the groups overlap.
              for (let i = 0; i < 100 && !groupBFinished; i++) await pause(10);
              a1SawGroupBFinished = groupBFinished;
            }
            if (p.paymentId === 'a2') throw new Error('bank link down');
            await directLedger.definition.handlers.FundsCaptured(p, ctx);
            if (p.paymentId === 'b3') groupBFinished = true;
          },
          FundsRefunded: (p, ctx) => directLedger.definition.handlers.FundsRefunded(p, ctx),
        },
      },
      consumerConfig({
        name: 'ledger',
        delivery: 'exactly-once',
        fifo: true,
        source: 'sns',
        idempotencyTable: IDEMPOTENCY_TABLE,
        keySources: ['sns-message-id', 'fifo-dedup-id'],
        queueUrl,
        deadLetterQueueUrl: dlq,
        parallelism: 10,
      }),
      { store: world.store, sqs: sqs.client, sink: capture.sink },
    );
    const rec = (group: string, id: string, amount: number | string) =>
      snsRecord(
        'FundsCaptured',
        typeof amount === 'number'
          ? payment(`fifo-${group}`, id, amount)
          : { accountId: `fifo-${group}`, paymentId: id, amountCents: amount },
        { groupId: `fifo-${group}`, snsMessageId: `sns-${id}` },
      );
    const records = [
      rec('A', 'a1', 10),
      rec('B', 'b1', 1),
      rec('A', 'a2', 20),
      rec('C', 'c1', 'poison'),
      rec('B', 'b2', 2),
      rec('A', 'a3', 30),
      rec('C', 'c2', 5),
      rec('B', 'b3', 3),
    ];
    const byId = (id: string) => records.find((r) => r.body.includes(`\\"paymentId\\":\\"${id}\\"`))!;
    const response = await handler({ Records: records }, lambdaContext());

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: byId('a2').messageId },
      { itemIdentifier: byId('a3').messageId },
    ]);
    expect(a1SawGroupBFinished).toBe(true);
    expect(calls.filter((c) => c.startsWith('a'))).toEqual(['a1', 'a2']);
    expect(calls.filter((c) => c.startsWith('b'))).toEqual(['b1', 'b2', 'b3']);
    expect(calls.filter((c) => c.startsWith('c'))).toEqual(['c2']);
    expect(capture.outcomeOf(byId('a3').messageId)).toMatchObject({
      outcome: 'skipped',
      reason: `earlier message ${byId('a2').messageId} of group 'fifo-A' was not completed`,
    });
    expect(capture.outcomeOf(byId('c1').messageId)).toMatchObject({
      outcome: 'dead-lettered',
      errorKind: 'schema-validation',
    });
    expect(await world.balance('fifo-A')).toEqual({ balance: 10, entries: 1 });
    expect(await world.balance('fifo-B')).toEqual({ balance: 6, entries: 3 });
    expect(await world.balance('fifo-C')).toEqual({ balance: 5, entries: 1 });
    // Record outcomes are listed per record, and the EMF document counts them.
    expect(capture.metrics()[0]).toMatchObject({ Processed: 5, Failed: 2, Retried: 2, DeadLettered: 1 });

    const [dead] = await drain(sqs.client, dlq, { delete: false });
    expect(dead!.Attributes!.MessageGroupId).toBe('fifo-C');
    expect(deadLetterReasonOf(dead!)?.kind).toBe('schema-validation');

    // Redelivery of the failed group tail: a2 and a3 now run, in order, once.
    const retried = [byId('a2'), byId('a3')].map((r) => ({
      ...r,
      attributes: { ...r.attributes, ApproximateReceiveCount: '2' },
    }));
    calls.length = 0;
    const ok = createConsumer(
      {
        events: { FundsCaptured, FundsRefunded },
        handlers: {
          FundsCaptured: async (p, ctx) => {
            calls.push(p.paymentId);
            await directLedger.definition.handlers.FundsCaptured(p, ctx);
          },
          FundsRefunded: directLedger.definition.handlers.FundsRefunded,
        },
      },
      consumerConfig({
        name: 'ledger',
        delivery: 'exactly-once',
        fifo: true,
        source: 'sns',
        idempotencyTable: IDEMPOTENCY_TABLE,
        keySources: ['sns-message-id'],
        queueUrl,
      }),
      { store: world.store, sqs: sqs.client, sink: captureSink().sink },
    );
    expect((await ok({ Records: retried }, lambdaContext())).batchItemFailures).toEqual([]);
    expect(calls).toEqual(['a2', 'a3']);
    expect(await world.balance('fifo-A')).toEqual({ balance: 60, entries: 3 });
  });
});
