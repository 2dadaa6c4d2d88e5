import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, DynamoDbIdempotencyStore, type ConsumerDefinition } from '../../lambdas/runtime/index.ts';
import { FundsCaptured, FundsRefunded } from '../fixtures/app/events.ts';
import { countRequests } from '../support/ledger-world.ts';
import {
  deadLetterReasonOf,
  getItem,
  startDynamo,
  startSqs,
  type LocalDynamo,
  type LocalSqs,
} from '../support/emulators.ts';
import { drain } from '../support/drain.ts';
import { captureSink, lambdaContext, snsRecord } from '../support/lambda-events.ts';
import { payment } from '../support/ledger-world.ts';
import { consumerConfig } from '../support/consumer-config.ts';

// Staged effects: the handler's writes commit with the idempotency record in one transaction.
let dynamo: LocalDynamo;
let sqs: LocalSqs;
let client: DynamoDBClient;
let requests: Record<string, number>;
beforeAll(async () => {
  dynamo = await startDynamo();
  sqs = await startSqs();
  for (const [TableName, key] of [
    ['idempotency', 'id'],
    ['ledger', 'accountId'],
  ] as const) {
    await dynamo.client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
      }),
    );
  }
  client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: await dynamo.client.config.credentials(),
  });
  requests = countRequests(client);
}, 120_000);
afterAll(async () => {
  client?.destroy();
  await sqs?.close();
  await dynamo?.close();
});

const post =
  (sign: 1 | -1) =>
  async (
    p: { accountId: string; paymentId: string; amountCents: number },
    ctx: Parameters<ConsumerDefinition<Record<string, never>>['handlers'][string]>[1],
  ) => {
    const delta = sign * p.amountCents;
    ctx.stage.update(
      {
        TableName: 'ledger',
        Key: { accountId: { S: p.accountId } },
        UpdateExpression: 'ADD balanceCents :delta, entries :one SET lastPaymentId = :p',
        // A refund may not take the balance below zero.
        ...(sign < 0 ? { ConditionExpression: 'balanceCents >= :amount' } : {}),
        ExpressionAttributeValues: {
          ':delta': { N: String(delta) },
          ':one': { N: '1' },
          ':p': { S: p.paymentId },
          ...(sign < 0 ? { ':amount': { N: String(p.amountCents) } } : {}),
        },
      },
      { onConditionFailure: 'permanent' },
    );
    return { posted: delta };
  };

const ledger = {
  events: { FundsCaptured, FundsRefunded },
  effects: 'staged',
  handlers: { FundsCaptured: post(1), FundsRefunded: post(-1) },
} as const;

function consumer(fifo: boolean, dlq?: string) {
  const capture = captureSink();
  const handler = createConsumer(
    ledger as unknown as ConsumerDefinition<Record<string, never>>,
    consumerConfig({
      name: 'ledger',
      delivery: 'exactly-once',
      fifo,
      source: 'sns',
      idempotencyTable: 'idempotency',
      keySources: [{ field: 'paymentId' }],
      queueUrl: fifo ? sqs.createQueue('ledger.fifo', { FifoQueue: 'true' }) : sqs.createQueue('ledger'),
      deadLetterQueueUrl: dlq,
    }),
    {
      store: new DynamoDbIdempotencyStore(client, 'idempotency'),
      dynamodb: client,
      sqs: sqs.client,
      sink: capture.sink,
    },
  );
  return { handler, capture };
}

async function balance(accountId: string) {
  const item = await getItem(dynamo.client, 'ledger', { accountId: { S: accountId } });
  return { balance: Number(item?.balanceCents?.N ?? 0), entries: Number(item?.entries?.N ?? 0) };
}
const reset = () => {
  for (const k of Object.keys(requests)) delete requests[k];
};
const captures = (prefix: string, n: number, fifo = false): SQSRecord[] =>
  Array.from({ length: n }, (_, i) =>
    snsRecord(
      'FundsCaptured',
      payment(`${prefix}-acc-${i}`, `${prefix}-p-${i}`, 100 + i),
      fifo ? { groupId: `${prefix}-acc-${i}` } : {},
    ),
  );

describe('staged effects commit with the idempotency record', () => {
  it('a batch of 10 commits in one transaction: one DynamoDB round trip for 10 messages', async () => {
    const { handler, capture } = consumer(false);
    reset();
    const batch = captures('one', 10);
    expect(await handler({ Records: batch }, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(requests).toEqual({ TransactWriteItemsCommand: 1 });
    expect(await balance('one-acc-3')).toEqual({ balance: 103, entries: 1 });
    expect(capture.lines.filter((l) => l.outcome === 'processed')).toHaveLength(10);
    const record = await getItem(dynamo.client, 'idempotency', {
      id: { S: 'ledger#FundsCaptured#field:paymentId:one-p-3' },
    });
    expect(record?.status?.S).toBe('COMPLETED');
    expect(JSON.parse(record!.result!.S!)).toEqual({ posted: 103 });
  });

  it('a redelivered batch writes nothing: every commit finds its record (one round trip)', async () => {
    const { handler, capture } = consumer(false);
    const batch = captures('dup', 10);
    await handler({ Records: batch }, lambdaContext());
    reset();
    await handler({ Records: captures('dup', 10) }, lambdaContext());
    expect(requests).toEqual({ TransactWriteItemsCommand: 1 });
    expect(capture.lines.filter((l) => l.outcome === 'duplicate')).toHaveLength(10);
    expect(await balance('dup-acc-0')).toEqual({ balance: 100, entries: 1 });
  });

  it('duplicates mixed with new messages: the cancellation names the duplicates and only the rest is retried', async () => {
    const { handler, capture } = consumer(false);
    await handler({ Records: captures('mix', 5) }, lambdaContext());
    reset();
    const batch = [...captures('mix', 5), ...captures('mix-new', 5)];
    await handler({ Records: batch }, lambdaContext());
    expect(requests).toEqual({ TransactWriteItemsCommand: 2 });
    expect(capture.lines.filter((l) => l.outcome === 'duplicate')).toHaveLength(5);
    expect(await balance('mix-acc-2')).toEqual({ balance: 102, entries: 1 });
    expect(await balance('mix-new-acc-2')).toEqual({ balance: 102, entries: 1 });
  });

  it('two payments of one account in one batch go into successive transactions, both applied', async () => {
    const { handler } = consumer(false);
    reset();
    const batch = [
      snsRecord('FundsCaptured', payment('same-acc', 'same-p1', 10)),
      snsRecord('FundsCaptured', payment('same-acc', 'same-p2', 20)),
    ];
    expect(await handler({ Records: batch }, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(requests).toEqual({ TransactWriteItemsCommand: 2 });
    expect(await balance('same-acc')).toEqual({ balance: 30, entries: 2 });
  });

  it("a write whose own condition fails fails only its message (permanent: to the DLQ); the batch's others commit", async () => {
    const dlq = sqs.createQueue('staged-dlq');
    const { handler, capture } = consumer(false, dlq);
    const overdraw = snsRecord('FundsRefunded', { ...payment('cond-acc', 'cond-refund', 500), refundId: 'r' });
    const fine = snsRecord('FundsCaptured', payment('cond-other', 'cond-capture', 7));
    expect(await handler({ Records: [overdraw, fine] }, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(capture.outcomeOf(overdraw.messageId)).toMatchObject({ outcome: 'dead-lettered', errorKind: 'permanent' });
    expect(String(capture.outcomeOf(overdraw.messageId)!.reason)).toMatch(
      /^StagedConditionError: staged write #1 was not applied: its condition failed/,
    );
    expect(await balance('cond-acc')).toEqual({ balance: 0, entries: 0 });
    expect(await balance('cond-other')).toEqual({ balance: 7, entries: 1 });
    const [dead] = await drain(sqs.client, dlq, { delete: false });
    expect(deadLetterReasonOf(dead!)?.kind).toBe('permanent');
    // Nothing of the failed message was written, its idempotency record included: a fixed replay applies.
    expect(
      await getItem(dynamo.client, 'idempotency', { id: { S: 'ledger#FundsRefunded#field:paymentId:cond-refund' } }),
    ).toBeUndefined();
  });

  it('a commit whose response was lost (the worker died during the transaction) is applied once when redelivered', async () => {
    const lossy = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      credentials: await dynamo.client.config.credentials(),
    });
    let lose = true;
    lossy.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        if (lose) {
          lose = false;
          throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
        }
        return result;
      },
      { step: 'initialize', name: 'loseResponse' },
    );
    const capture = captureSink();
    const handler = createConsumer(
      ledger as unknown as ConsumerDefinition<Record<string, never>>,
      consumerConfig({
        name: 'ledger',
        delivery: 'exactly-once',
        fifo: false,
        source: 'sns',
        idempotencyTable: 'idempotency',
        keySources: [{ field: 'paymentId' }],
        queueUrl: sqs.createQueue('ledger'),
      }),
      {
        store: new DynamoDbIdempotencyStore(lossy, 'idempotency'),
        dynamodb: lossy,
        sqs: sqs.client,
        sink: capture.sink,
      },
    );
    const batch = captures('lost', 3);
    const first = await handler({ Records: batch }, lambdaContext());
    expect(first.batchItemFailures).toHaveLength(3);
    await handler({ Records: captures('lost', 3) }, lambdaContext());
    expect(capture.lines.filter((l) => l.outcome === 'duplicate')).toHaveLength(3);
    expect(await balance('lost-acc-1')).toEqual({ balance: 101, entries: 1 });
    lossy.destroy();
  });

  it('FIFO: a group commits in order, one message per round; other groups share each round', async () => {
    const { handler } = consumer(true);
    reset();
    const records = [
      snsRecord('FundsCaptured', payment('fifo-a', 'fifo-a1', 10), { groupId: 'fifo-a' }),
      snsRecord('FundsRefunded', { ...payment('fifo-a', 'fifo-a2', 10), refundId: 'r' }, { groupId: 'fifo-a' }),
      snsRecord('FundsCaptured', payment('fifo-b', 'fifo-b1', 5), { groupId: 'fifo-b' }),
    ];
    expect(await handler({ Records: records }, lambdaContext())).toEqual({ batchItemFailures: [] });
    // The refund needs the capture committed first (its condition reads the balance).
    expect(await balance('fifo-a')).toEqual({ balance: 0, entries: 2 });
    expect(await balance('fifo-b')).toEqual({ balance: 5, entries: 1 });
    expect(requests).toEqual({ TransactWriteItemsCommand: 2 });
  });

  it('a key reused with another payload is dead-lettered as idempotency-key-reused', async () => {
    const dlq = sqs.createQueue('staged-dlq-reuse');
    const { handler, capture } = consumer(false, dlq);
    await handler({ Records: [snsRecord('FundsCaptured', payment('reuse-acc', 'reuse-p', 1))] }, lambdaContext());
    const reused = snsRecord('FundsCaptured', payment('reuse-acc', 'reuse-p', 2));
    await handler({ Records: [reused] }, lambdaContext());
    expect(capture.outcomeOf(reused.messageId)).toMatchObject({
      outcome: 'dead-lettered',
      errorKind: 'idempotency-key-reused',
    });
    expect(await balance('reuse-acc')).toEqual({ balance: 1, entries: 1 });
  });
});
