import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, DynamoDbIdempotencyStore } from '../../lambdas/runtime/index.ts';
import { shedExcess } from '../../lambdas/runtime/shedding.ts';
import { CartPlaced } from '../fixtures/app/events.ts';
import { createTable, startDynamo, startSqs, type LocalSqs } from '../support/emulators.ts';
import { captureSink, lambdaContext, rawRecord, stringAttribute } from '../support/lambda-events.ts';
import { consumerConfig } from '../support/consumer-config.ts';

let sqs: LocalSqs;
beforeAll(async () => (sqs = await startSqs()));
afterAll(async () => sqs.close());

const order = (orderId: string) => ({
  orderId,
  customerId: 'c',
  email: 'a@example.com',
  items: [{ sku: 's', quantity: 1 }],
  totalCents: 1,
});

/** Messages as the event source hands them to the function (Lambda's record shape). */
function asRecords(messages: readonly Message[]): SQSRecord[] {
  return messages.map((m) => ({
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body!,
    attributes: {
      ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'x',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {
      eventType: { dataType: 'String', stringValue: 'CartPlaced', stringListValues: [], binaryListValues: [] },
    },
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
    awsRegion: 'us-east-1',
  }));
}

async function fill(queueUrl: string, count: number, body: (i: number) => string): Promise<void> {
  for (let i = 0; i < count; i += 10) {
    const n = Math.min(10, count - i);
    await sqs.client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Array.from({ length: n }, (_, j) => ({
          Id: String(j),
          MessageBody: body(i + j),
          MessageAttributes: { eventType: { DataType: 'String', StringValue: 'CartPlaced' } },
        })),
      }),
    );
  }
}

describe('at-most-once claims records before running them', () => {
  it('a batch that times out or crashes is never handed out again: started records run once at most', async () => {
    const queueUrl = sqs.createQueue('analytics-claim', { VisibilityTimeout: '1' });
    await fill(queueUrl, 5, (i) => JSON.stringify(order(`o-${i}`)));
    const runs = new Map<string, number>();
    const handler = createConsumer(
      {
        events: { CartPlaced },
        handlers: {
          // Every record hangs: the invocation never returns, as when Lambda times out or the worker dies.
          CartPlaced: async (o) => {
            runs.set(o.orderId, (runs.get(o.orderId) ?? 0) + 1);
            await new Promise(() => {});
          },
        },
      },
      consumerConfig({ name: 'analytics', delivery: 'at-most-once', source: 'sns-raw', queueUrl, parallelism: 10 }),
      { sqs: sqs.client, sink: captureSink().sink },
    );
    const { Messages = [] } = await sqs.client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }),
    );
    expect(Messages).toHaveLength(5);
    void handler({ Records: asRecords(Messages) }, lambdaContext());
    await expect.poll(() => runs.size).toBe(5);
    // Claimed means deleted, not hidden: with nothing visible and nothing in flight, no visibility
    // timeout can hand any of them out again.
    const { Attributes = {} } = await sqs.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect([Attributes.ApproximateNumberOfMessages, Attributes.ApproximateNumberOfMessagesNotVisible]).toEqual([
      '0',
      '0',
    ]);
    expect([...runs.values()]).toEqual([1, 1, 1, 1, 1]);
  });

  it('a record whose claim fails is not run and is left for redelivery', async () => {
    const queueUrl = sqs.createQueue('analytics-claim-fail');
    await fill(queueUrl, 2, (i) => JSON.stringify(order(`f-${i}`)));
    const ran: string[] = [];
    const capture = captureSink();
    // fauxqs accepts any receipt handle: the per-entry failure SQS reports for a stale one is injected.
    const client = new SQSClient({ region: 'us-east-1' });
    mockClient(client)
      .on(DeleteMessageBatchCommand)
      .resolves({
        Successful: [{ Id: '0' }],
        Failed: [
          { Id: '1', Code: 'ReceiptHandleIsInvalid', SenderFault: true, Message: 'The receipt handle has expired.' },
        ],
      });
    const handler = createConsumer(
      { events: { CartPlaced }, handlers: { CartPlaced: async (o) => void ran.push(o.orderId) } },
      consumerConfig({ name: 'analytics', delivery: 'at-most-once', source: 'sns-raw', queueUrl }),
      { sqs: client, sink: capture.sink },
    );
    const { Messages = [] } = await sqs.client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
    );
    const [good, stale] = asRecords(Messages);
    const response = await handler({ Records: [good!, stale!] }, lambdaContext());
    expect(ran).toEqual([JSON.parse(good!.body).orderId]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: stale!.messageId }]);
    expect(capture.outcomeOf(stale!.messageId)).toMatchObject({
      outcome: 'not-started',
      reason: expect.stringMatching(/^claim \(delete before running\) failed/),
    });
  });
});

describe('shedding from several containers at once', () => {
  it('together they never shed more than the excess (never below maxDepth), nor much less', async () => {
    const queueUrl = sqs.createQueue('analytics-shed-many');
    await fill(queueUrl, 300, (i) => JSON.stringify({ n: i }));
    const containers = 3;
    const results = await Promise.all(Array.from({ length: containers }, () => shedExcess(sqs.client, queueUrl, 200)));
    const shed = results.reduce((n, r) => n + r.shedMessageIds.length, 0);
    const { Attributes } = await sqs.client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    // Never below maxDepth; a contended last pass may leave up to one pass per other container.
    expect(shed).toBeLessThanOrEqual(100);
    expect(shed).toBeGreaterThanOrEqual(100 - 10 * (containers - 1));
    expect(Number(Attributes!.ApproximateNumberOfMessages)).toBe(300 - shed);
  });
});

describe('at-most-once claims each key once', () => {
  it('copies of one message (a publisher retry that became two SNS messages) run once; a reused key is dropped and said why', async () => {
    const dynamo = await startDynamo();
    try {
      await createTable(dynamo.client, 'idempotency', 'id');
      const runs: number[] = [];
      const capture = captureSink();
      const handler = createConsumer(
        { events: { CartPlaced }, handlers: { CartPlaced: async (o) => void runs.push(o.totalCents) } },
        consumerConfig({
          name: 'analytics',
          delivery: 'at-most-once',
          source: 'sns-raw',
          idempotencyTable: 'idempotency',
          keySources: [{ attribute: 'idempotencyKey' }, 'message-id'],
          queueUrl: sqs.createQueue('analytics-keys'),
        }),
        { sqs: sqs.client, sink: capture.sink, store: new DynamoDbIdempotencyStore(dynamo.client, 'idempotency') },
      );
      const key = { attributes: { idempotencyKey: stringAttribute('k-retry') } };
      const copy = () => rawRecord('CartPlaced', order('o-retry'), key);
      await handler({ Records: [copy(), copy()] }, lambdaContext());
      await handler({ Records: [copy()] }, lambdaContext());
      const reused = rawRecord('CartPlaced', { ...order('o-retry'), totalCents: 99 }, key);
      await handler({ Records: [reused] }, lambdaContext());

      expect(runs).toEqual([1]);
      expect(capture.lines.filter((l) => l.outcome === 'duplicate')).toHaveLength(2);
      expect(capture.outcomeOf(reused.messageId)).toMatchObject({
        outcome: 'dropped',
        errorKind: 'idempotency-key-reused',
      });
    } finally {
      await dynamo.close();
    }
  });
});
