import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer } from '../../lambdas/runtime/index.ts';
import { OutcomeCounter } from '../../local/demo/outcome-counter.ts';
import { tableEnvName } from '../../contracts/consumer-env.ts';
import { OUTCOME_KINDS, parseOutcomeLine, RECORD_OUTCOME_MESSAGE } from '../../contracts/outcome-log.ts';
import { createTable, getItem, startDynamo, startSqs, type LocalDynamo, type LocalSqs } from '../support/emulators.ts';
import { drain } from '../support/drain.ts';
import { captureSink, lambdaContext, rawRecord } from '../support/lambda-events.ts';
import { consumerConfig } from '../support/consumer-config.ts';
import { handler as countsEvents } from '../fixtures/handlers/counts-events.ts';

let dynamo: LocalDynamo;
let sqs: LocalSqs;
beforeAll(async () => {
  dynamo = await startDynamo();
  sqs = await startSqs();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  process.env[tableEnvName('event-counts')] = 'event-counts';
  await createTable(dynamo.client, 'event-counts', 'eventType');
});
afterAll(async () => {
  await dynamo.close();
  await sqs.close();
});

const order = {
  orderId: 'o',
  customerId: 'c',
  email: 'a@example.com',
  items: [{ sku: 's', quantity: 1 }],
  totalCents: 1,
};

async function analytics(overrides: Parameters<typeof consumerConfig>[0]) {
  const capture = captureSink();
  return {
    capture,
    handler: createConsumer(countsEvents.definition, consumerConfig(overrides), {
      sqs: sqs.client,
      sink: capture.sink,
    }),
  };
}

describe('at-most-once', () => {
  it('never retries: failures (poison included) are counted and dropped, never dead-lettered', async () => {
    const dlq = sqs.createQueue('analytics-dlq');
    const { handler, capture } = await analytics({
      name: 'analytics',
      delivery: 'at-most-once',
      source: 'sns-raw',
      queueUrl: sqs.createQueue('analytics'),
      deadLetterQueueUrl: dlq,
    });
    const good = rawRecord('CartPlaced', order);
    const poison = rawRecord('CartPlaced', 'not json');
    const response = await handler(
      {
        Records: [
          good,
          poison,
          rawRecord('CartShipped', { orderId: 'o', email: 'a@example.com', carrier: 'x', trackingId: 't' }),
        ],
      },
      lambdaContext(),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(capture.outcomeOf(poison.messageId)).toMatchObject({ outcome: 'dropped', errorKind: 'malformed-message' });
    expect(capture.metrics()[0]).toMatchObject({ Processed: 2, Failed: 1, Dropped: 1, DeadLettered: 0, Retried: 0 });
    expect(await drain(sqs.client, dlq, { delete: false })).toEqual([]);
    expect((await getItem(dynamo.client, 'event-counts', { eventType: { S: 'CartPlaced' } }))?.count?.N).toBe('1');
  });

  it('sheds the oldest backlog beyond maxDepth, checking the depth at most once per interval', async () => {
    const queueUrl = sqs.createQueue('analytics-backlog');
    for (let batch = 0; batch < 3; batch++) {
      await sqs.client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Array.from({ length: 10 }, (_, i) => ({
            Id: String(i),
            MessageBody: JSON.stringify({ n: batch * 10 + i }),
          })),
        }),
      );
    }
    const { handler, capture } = await analytics({
      name: 'analytics',
      delivery: 'at-most-once',
      source: 'sns-raw',
      queueUrl,
      maxDepth: 12,
    });
    await handler({ Records: [rawRecord('CartPlaced', order)] }, lambdaContext());

    const shedLines = capture.lines.filter((l) => l.outcome === 'shed');
    expect(shedLines).toHaveLength(18);
    expect(shedLines[0]).toMatchObject({
      consumer: 'analytics',
      reason: 'backlog 30 over maxDepth 12: oldest dropped',
    });
    expect(capture.metrics()[0]).toMatchObject({ Shed: 18, Processed: 1 });
    const left = await drain(sqs.client, queueUrl, { delete: false });
    expect(left).toHaveLength(12);
    // fauxqs returns a standard queue's messages oldest first: the newest 12 survive.
    expect(left.map((m) => (JSON.parse(m.Body!) as { n: number }).n).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => 18 + i),
    );

    // Within the interval the depth is not checked again, even over maxDepth.
    await sqs.client.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: '1', MessageBody: '{}' }] }),
    );
    await handler({ Records: [rawRecord('CartPlaced', order)] }, lambdaContext());
    expect(capture.metrics()[1]).toMatchObject({ Shed: 0 });
  });
});

/** The line the demo counter (and the console) parse is the one the runtime writes, shedding included. */
describe('record-outcome log line', () => {
  it('is written by the runtime in the one shape the demo counter reads, for processed, dropped and shed', async () => {
    const queueUrl = sqs.createQueue('analytics-outcomes');
    await sqs.client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: '{}' })),
      }),
    );
    const written: string[] = [];
    const handler = createConsumer(
      countsEvents.definition,
      consumerConfig({ name: 'analytics', delivery: 'at-most-once', source: 'sns-raw', queueUrl, maxDepth: 4 }),
      { sqs: sqs.client, sink: (line) => written.push(line) },
    );
    await handler({ Records: [rawRecord('CartPlaced', order), rawRecord('CartPlaced', 'not json')] }, lambdaContext());

    const outcomeLines = written.filter((line) => line.includes(RECORD_OUTCOME_MESSAGE));
    expect(outcomeLines).toHaveLength(2 + 6);
    for (const line of outcomeLines) {
      const parsed = parseOutcomeLine(line);
      expect(parsed, line).toBeDefined();
      expect(OUTCOME_KINDS).toContain(parsed!.outcome);
      expect(parsed).toMatchObject({ consumer: 'analytics', message: RECORD_OUTCOME_MESSAGE });
      expect(typeof parsed!.timestamp).toBe('string');
    }
    const counter = new OutcomeCounter();
    for (const line of written) counter.onLog('fn', line);
    expect(counter.counts('analytics')).toEqual({ processed: 1, dropped: 1, shed: 6 });
    expect(parseOutcomeLine(outcomeLines.find((l) => l.includes('"shed"'))!)).toMatchObject({ level: 'WARN' });
  });

  it('is not counted when it names an outcome kind the runtime does not write', () => {
    const counter = new OutcomeCounter();
    const line = (outcome: string) =>
      JSON.stringify({ level: 'INFO', message: RECORD_OUTCOME_MESSAGE, consumer: 'c', messageId: 'm', outcome });
    counter.onLog('fn', line('processed'));
    counter.onLog('fn', line('exploded'));
    counter.onLog('fn', 'plain text with "record outcome" in it');
    expect(counter.counts('c')).toEqual({ processed: 1 });
  });
});
