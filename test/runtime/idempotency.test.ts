import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConsumer, PermanentError } from '../../lambdas/runtime/index.ts';
import { FundsCaptured } from '../fixtures/app/events.ts';
import { handler as directLedger } from '../fixtures/handlers/direct-ledger.ts';
import { captureSink, lambdaContext, snsRecord } from '../support/lambda-events.ts';
import { IDEMPOTENCY_TABLE, payment, startLedgerWorld, type LedgerWorld } from '../support/ledger-world.ts';
import { consumerConfig } from '../support/consumer-config.ts';

let world: LedgerWorld;
beforeAll(async () => {
  world = await startLedgerWorld();
});
afterAll(async () => world.close());
beforeEach(() => world.resetRequests());

const group = (accountId: string) => ({ groupId: accountId });

describe('exactly-once with the real ledger handler on DynamoDB Local', () => {
  it('normal path: the effect happens once, with a lock put and a fenced completion (2 requests)', async () => {
    const { handler, capture } = world.consumer();
    const record = snsRecord('FundsCaptured', payment('acc-1', 'p-1', 500), {
      ...group('acc-1'),
      snsMessageId: 'sns-1',
    });
    const response = await handler({ Records: [record] }, lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(await world.balance('acc-1')).toEqual({ balance: 500, entries: 1 });
    expect(world.requests).toEqual({ PutItemCommand: 1, UpdateItemCommand: 1 });
    expect(capture.outcomeOf(record.messageId)).toMatchObject({
      outcome: 'processed',
      idempotencyKey: 'ledger#FundsCaptured#sns:sns-1',
    });
    const stored = await world.record('ledger#FundsCaptured#sns:sns-1');
    expect(stored?.status?.S).toBe('COMPLETED');
    expect(stored?.leaseExpiresAt).toBeUndefined();
    expect(Number(stored?.expiresAt?.N)).toBeGreaterThan(Date.now() / 1000 + 23 * 3600);
  });

  it('an SNS redelivery with a new SQS message id is acked as a duplicate without running the handler', async () => {
    const { handler, capture } = world.consumer();
    const first = snsRecord('FundsCaptured', payment('acc-2', 'p-2', 700), {
      ...group('acc-2'),
      snsMessageId: 'sns-2',
    });
    await handler({ Records: [first] }, lambdaContext());
    world.resetRequests();

    const redelivery = snsRecord('FundsCaptured', payment('acc-2', 'p-2', 700), {
      ...group('acc-2'),
      snsMessageId: 'sns-2',
    });
    expect(redelivery.messageId).not.toBe(first.messageId);
    const response = await handler({ Records: [redelivery] }, lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(await world.balance('acc-2')).toEqual({ balance: 700, entries: 1 });
    expect(capture.outcomeOf(redelivery.messageId)).toMatchObject({
      outcome: 'duplicate',
      reason: 'already completed',
    });
    // One conditional put: DynamoDB returns the holder with the failure (ReturnValuesOnConditionCheckFailure).
    expect(world.requests).toEqual({ PutItemCommand: 1 });
    const emf = capture.metrics().at(-1)!;
    expect(emf).toMatchObject({ Consumer: 'ledger', Duplicate: 1, Processed: 0, Failed: 0, Retried: 0 });
  });

  it("the producer's idempotency key wins over the SNS MessageId (a producer retry is a new SNS message)", async () => {
    const { handler } = world.consumer();
    const attributes = { idempotencyKey: 'pay-3' };
    await handler(
      { Records: [snsRecord('FundsCaptured', payment('acc-3', 'p-3', 100), { ...group('acc-3'), attributes })] },
      lambdaContext(),
    );
    await handler(
      { Records: [snsRecord('FundsCaptured', payment('acc-3', 'p-3', 100), { ...group('acc-3'), attributes })] },
      lambdaContext(),
    );
    expect(await world.balance('acc-3')).toEqual({ balance: 100, entries: 1 });
    expect((await world.record('ledger#FundsCaptured#attr:idempotencyKey:pay-3'))?.status?.S).toBe('COMPLETED');
  });

  it('two copies of one key in the same batch run once; the second waits for the first without a store request', async () => {
    const { handler, capture } = world.consumer({ fifo: false });
    const a = snsRecord('FundsCaptured', payment('acc-4', 'p-4', 250), { snsMessageId: 'sns-4' });
    const b = snsRecord('FundsCaptured', payment('acc-4', 'p-4', 250), { snsMessageId: 'sns-4' });
    const response = await handler({ Records: [a, b] }, lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(await world.balance('acc-4')).toEqual({ balance: 250, entries: 1 });
    expect(capture.outcomeOf(b.messageId)).toMatchObject({ outcome: 'duplicate' });
    expect(world.requests).toEqual({ PutItemCommand: 1, UpdateItemCommand: 1 });
  });

  it('a completed record past its TTL counts as absent (AWS deletes expired items up to days later) and is overwritten', async () => {
    const past = Math.floor(Date.now() / 1000) - 10;
    await world.dynamo.client.send(
      new PutItemCommand({
        TableName: IDEMPOTENCY_TABLE,
        Item: {
          id: { S: 'ledger#FundsCaptured#sns:sns-5' },
          status: { S: 'COMPLETED' },
          leaseToken: { S: 'old' },
          expiresAt: { N: String(past) },
        },
      }),
    );
    const { handler, capture } = world.consumer();
    const record = snsRecord('FundsCaptured', payment('acc-5', 'p-5', 900), {
      ...group('acc-5'),
      snsMessageId: 'sns-5',
    });
    await handler({ Records: [record] }, lambdaContext());

    expect(capture.outcomeOf(record.messageId)).toMatchObject({ outcome: 'processed' });
    expect(await world.balance('acc-5')).toEqual({ balance: 900, entries: 1 });
    const stored = await world.record('ledger#FundsCaptured#sns:sns-5');
    expect(stored?.leaseToken?.S).not.toBe('old');
    expect(Number(stored?.expiresAt?.N)).toBeGreaterThan(past);
  });

  it('an in-progress lock whose lease ended is taken over', async () => {
    await world.dynamo.client.send(
      new PutItemCommand({
        TableName: IDEMPOTENCY_TABLE,
        Item: {
          id: { S: 'ledger#FundsCaptured#sns:sns-6' },
          status: { S: 'IN_PROGRESS' },
          leaseToken: { S: 'crashed-holder' },
          leaseExpiresAt: { N: String(Date.now() - 1) },
          expiresAt: { N: String(Math.floor(Date.now() / 1000) + 3600) },
        },
      }),
    );
    const { handler, capture } = world.consumer();
    const record = snsRecord('FundsCaptured', payment('acc-6', 'p-6', 60), {
      ...group('acc-6'),
      snsMessageId: 'sns-6',
    });
    await handler({ Records: [record] }, lambdaContext());
    expect(capture.outcomeOf(record.messageId)).toMatchObject({ outcome: 'processed' });
    expect(await world.balance('acc-6')).toEqual({ balance: 60, entries: 1 });
    expect((await world.record('ledger#FundsCaptured#sns:sns-6'))?.status?.S).toBe('COMPLETED');
  });
});

describe('handler errors under exactly-once', () => {
  it('retryable: reported for retry, lock released, the redelivery applies the effect once', async () => {
    let calls = 0;
    const capture = captureSink();
    const handler = createConsumer(
      {
        events: { FundsCaptured },
        handlers: {
          FundsCaptured: async (p, ctx) => {
            if (++calls === 1) throw new Error('ledger temporarily unavailable');
            return directLedger.definition.handlers.FundsCaptured(p, ctx);
          },
        },
      },
      consumerConfig({
        name: 'ledger',
        delivery: 'exactly-once',
        source: 'sns',
        idempotencyTable: IDEMPOTENCY_TABLE,
        keySources: ['sns-message-id'],
        queueUrl: world.queueUrl,
      }),
      { store: world.store, sqs: world.sqs.client, sink: capture.sink },
    );
    const first = snsRecord('FundsCaptured', payment('acc-8', 'p-8', 80), { snsMessageId: 'sns-8' });
    const firstResponse = await handler({ Records: [first] }, lambdaContext());
    expect(firstResponse.batchItemFailures).toEqual([{ itemIdentifier: first.messageId }]);
    expect(capture.outcomeOf(first.messageId)).toMatchObject({
      outcome: 'failed',
      errorKind: 'retryable',
      reason: 'Error: ledger temporarily unavailable',
    });
    expect(await world.record('ledger#FundsCaptured#sns:sns-8')).toBeUndefined();

    const again = { ...first, attributes: { ...first.attributes, ApproximateReceiveCount: '2' } };
    expect((await handler({ Records: [again] }, lambdaContext())).batchItemFailures).toEqual([]);
    expect(await world.balance('acc-8')).toEqual({ balance: 80, entries: 1 });
  });

  it('PermanentError: the lock is released and the record reported failed when no DLQ is configured', async () => {
    const capture = captureSink();
    const handler = createConsumer(
      {
        events: { FundsCaptured },
        handlers: {
          FundsCaptured: async () => {
            throw new PermanentError('account acc-9 is closed');
          },
        },
      },
      consumerConfig({
        name: 'ledger',
        delivery: 'exactly-once',
        source: 'sns',
        idempotencyTable: IDEMPOTENCY_TABLE,
        keySources: ['sns-message-id'],
        queueUrl: world.queueUrl,
      }),
      { store: world.store, sqs: world.sqs.client, sink: capture.sink },
    );
    const record = snsRecord('FundsCaptured', payment('acc-9', 'p-9', 90), { snsMessageId: 'sns-9' });
    const response = await handler({ Records: [record] }, lambdaContext());
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(capture.outcomeOf(record.messageId)).toMatchObject({
      outcome: 'failed',
      errorKind: 'permanent',
      reason: 'PermanentError: account acc-9 is closed (no DLQ configured: left to SQS redrive)',
    });
    expect(await world.record('ledger#FundsCaptured#sns:sns-9')).toBeUndefined();
  });
});

describe('idempotency keys', () => {
  it('stores a producer key longer than the DynamoDB key limit as its SHA-256, still deduplicating', async () => {
    const { handler, capture } = world.consumer({ fifo: false });
    const attributes = { idempotencyKey: 'k'.repeat(3_000) };
    const first = snsRecord('FundsCaptured', payment('acc-10', 'p-10', 10), { attributes });
    const again = snsRecord('FundsCaptured', payment('acc-10', 'p-10', 10), { attributes });
    await handler({ Records: [first] }, lambdaContext());
    await handler({ Records: [again] }, lambdaContext());
    expect(capture.outcomeOf(first.messageId)!.idempotencyKey).toMatch(/^ledger#sha256:[0-9a-f]{64}$/);
    expect(capture.outcomeOf(again.messageId)).toMatchObject({ outcome: 'duplicate' });
    expect(await world.balance('acc-10')).toEqual({ balance: 10, entries: 1 });
  });
});
