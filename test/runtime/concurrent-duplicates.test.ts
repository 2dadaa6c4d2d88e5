import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, type ConsumerDefinition } from '../../lambdas/runtime/index.ts';
import { FundsCaptured } from '../fixtures/app/events.ts';
import { handler as directLedger } from '../fixtures/handlers/direct-ledger.ts';
import { receivedRecord, startSqs, type LocalSqs } from '../support/emulators.ts';
import { captureSink, lambdaContext, snsRecord } from '../support/lambda-events.ts';
import { gate } from './support/gate.ts';
import { payment, startLedgerWorld, type LedgerWorld } from '../support/ledger-world.ts';
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

/** The real ledger handler behind a gate, so one invocation can be held mid-effect. */
async function gatedLedger(
  blocker: ReturnType<typeof gate>,
): Promise<ConsumerDefinition<{ FundsCaptured: typeof FundsCaptured }>> {
  return {
    events: { FundsCaptured },
    handlers: {
      FundsCaptured: async (p, ctx) => {
        await blocker.pass();
        return directLedger.definition.handlers.FundsCaptured(p, ctx);
      },
    },
  };
}

async function queueCounts(queueUrl: string) {
  const { Attributes = {} } = await sqs.client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    hidden: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
  };
}

describe('two invocations racing on one key', () => {
  it('one runs the effect; the other is deferred (hidden until the lease ends), not failed; its redelivery is a duplicate', async () => {
    const queueUrl = sqs.createQueue('race', { VisibilityTimeout: '1' });
    const blocker = gate();
    const capture = captureSink();
    const config = consumerConfig({
      name: 'ledger',
      delivery: 'exactly-once',
      source: 'sns',
      idempotencyTable: 'idempotency',
      keySources: ['sns-message-id'],
      queueUrl,
      maxReceiveCount: 5,
    });
    const handler = createConsumer(await gatedLedger(blocker), config, {
      store: world.store,
      sqs: sqs.client,
      sink: capture.sink,
    });

    const a = await receivedRecord(
      sqs.client,
      queueUrl,
      snsRecord('FundsCaptured', payment('race-1', 'p-1', 300), { snsMessageId: 'sns-race-1' }),
    );
    const b = await receivedRecord(
      sqs.client,
      queueUrl,
      snsRecord('FundsCaptured', payment('race-1', 'p-1', 300), { snsMessageId: 'sns-race-1' }),
    );
    // Both start at once; whichever loses the conditional put settles while the winner is held.
    const run = (record: typeof a) =>
      handler({ Records: [record] }, lambdaContext(30_000)).then((response) => ({ record, response }));
    const runs = [run(a), run(b)] as const;
    await blocker.reached;
    const loser = await Promise.race(runs);
    blocker.open();
    const [settledA, settledB] = await Promise.all(runs);
    const winner = loser.record === a ? settledB : settledA;

    expect(winner.response.batchItemFailures).toEqual([]);
    expect(capture.outcomeOf(winner.record.messageId)).toMatchObject({ outcome: 'processed' });
    expect(loser.response.batchItemFailures).toEqual([{ itemIdentifier: loser.record.messageId }]);
    expect(capture.outcomeOf(loser.record.messageId)).toMatchObject({ outcome: 'deferred' });
    expect(String(capture.outcomeOf(loser.record.messageId)!.reason)).toMatch(
      /^in progress in another invocation until .*; hidden for (30|31)s$/,
    );
    const emf = capture.metrics().find((m) => m.Deferred === 1)!;
    expect(emf).toMatchObject({ Failed: 0, Retried: 1, Processed: 0 });
    // The queue's visibility timeout is 1 s: the winner's message (never deleted here) is visible
    // again; the deferred one stays hidden until the winner's lease end.
    let received: { MessageId?: string }[] = [];
    await expect
      .poll(
        async () => {
          const page = await sqs.client.send(
            new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
          );
          received = page.Messages ?? [];
          return received.length;
        },
        { timeout: 5_000 },
      )
      .toBeGreaterThan(0);
    expect(received.map((m) => m.MessageId)).toEqual([winner.record.messageId]);
    expect((await queueCounts(queueUrl)).hidden).toBe(2);

    const redelivered = { ...loser.record, attributes: { ...loser.record.attributes, ApproximateReceiveCount: '2' } };
    expect((await handler({ Records: [redelivered] }, lambdaContext())).batchItemFailures).toEqual([]);
    expect(
      capture
        .outcomes()
        .filter((o) => o.messageId === loser.record.messageId)
        .map((o) => o.outcome),
    ).toEqual(['deferred', 'duplicate']);
    expect(await world.balance('race-1')).toEqual({ balance: 300, entries: 1 });
  });

  it('on the last receive before redrive the duplicate waits for the holder in-process instead of burning the receive', async () => {
    const blocker = gate();
    const capture = captureSink();
    const config = consumerConfig({
      name: 'ledger',
      delivery: 'exactly-once',
      source: 'sns',
      idempotencyTable: 'idempotency',
      keySources: ['sns-message-id'],
      queueUrl: sqs.createQueue('race-last'),
      maxReceiveCount: 3,
    });
    const handler = createConsumer(await gatedLedger(blocker), config, {
      store: world.store,
      sqs: sqs.client,
      sink: capture.sink,
    });
    const a = snsRecord('FundsCaptured', payment('race-2', 'p-2', 40), { snsMessageId: 'sns-race-2' });
    const last = snsRecord('FundsCaptured', payment('race-2', 'p-2', 40), {
      snsMessageId: 'sns-race-2',
      receiveCount: 3,
    });

    const first = handler({ Records: [a] }, lambdaContext(30_000));
    await blocker.reached;
    const waiting = handler({ Records: [last] }, lambdaContext(30_000));
    setTimeout(() => blocker.open(), 300);
    const [firstResponse, lastResponse] = await Promise.all([first, waiting]);

    expect(firstResponse.batchItemFailures).toEqual([]);
    expect(lastResponse.batchItemFailures).toEqual([]);
    expect(capture.outcomeOf(last.messageId)).toMatchObject({ outcome: 'duplicate', receiveCount: 3 });
    expect(await world.balance('race-2')).toEqual({ balance: 40, entries: 1 });
  });
});
