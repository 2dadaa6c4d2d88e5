import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, DynamoDbIdempotencyStore } from '../../lambdas/runtime/index.ts';
import { TaskRequested } from '../fixtures/app/events.ts';
import { createTable, startDynamo, startSqs, type LocalDynamo, type LocalSqs } from '../support/emulators.ts';
import { drain } from '../support/drain.ts';
import { captureSink, lambdaContext, rawRecord, stringAttribute } from '../support/lambda-events.ts';
import { consumerConfig } from '../support/consumer-config.ts';

// The runtime's side of request/reply results that cannot be kept or cannot travel: never `null`.
const PREFIX = 'fanout-dev-reply-';
let sqs: LocalSqs;
let dynamo: LocalDynamo;
beforeAll(async () => {
  sqs = await startSqs();
  dynamo = await startDynamo();
  await createTable(dynamo.client, 'idempotency', 'id');
});
afterAll(async () => {
  await sqs.close();
  await dynamo.close();
});

function jobs(overrides: Partial<Parameters<typeof consumerConfig>[0]>, storeObject?: () => Promise<void>) {
  const capture = captureSink();
  const handler = createConsumer(
    {
      events: { TaskRequested },
      handlers: { TaskRequested: async (job) => ({ text: job.input.repeat(2_000) }) },
    },
    consumerConfig({
      name: 'jobs',
      delivery: 'exactly-once',
      source: 'sqs',
      idempotencyTable: 'idempotency',
      keySources: [{ attribute: 'idempotencyKey' }, 'message-id'],
      queueUrl: sqs.createQueue('fanout-dev-jobs'),
      requestReply: true,
      replyQueuePrefix: PREFIX,
      ...overrides,
    }),
    {
      store: new DynamoDbIdempotencyStore(dynamo.client, 'idempotency'),
      sqs: sqs.client,
      sink: capture.sink,
      ...(storeObject ? { storeObject } : {}),
    },
  );
  return { handler, capture };
}

const request = (replyTo: string, correlationId: string, key: string) =>
  rawRecord(
    'TaskRequested',
    { jobId: 'j', kind: 'checksum', input: 'abcdefghij'.repeat(10) },
    {
      attributes: {
        replyTo: stringAttribute(replyTo),
        correlationId: stringAttribute(correlationId),
        idempotencyKey: stringAttribute(key),
      },
    },
  );
const answersOf = async (queueUrl: string) =>
  (await drain(sqs.client, queueUrl, { delete: false })).map((m) => JSON.parse(m.Body!));

describe('request/reply results that cannot be kept', () => {
  it('a result the payload bucket refused is answered the first time, and a repeat gets an error naming why', async () => {
    const replies = sqs.createQueue(`${PREFIX}refused`);
    const { handler } = jobs({ payloadBucket: 'payloads' }, async () => {
      throw new Error('AccessDenied: not allowed');
    });
    await handler({ Records: [request(replies, 'c-1', 'k-refused')] }, lambdaContext());
    await handler({ Records: [request(replies, 'c-2', 'k-refused')] }, lambdaContext());
    const [first, again] = await answersOf(replies);
    expect(first).toEqual({ ok: true, result: { text: 'abcdefghij'.repeat(20_000) } });
    expect(again).toEqual({
      ok: false,
      error:
        "the result was not kept for a repeated request: it is 200011 bytes of JSON, over the 100000 bytes an idempotency record keeps inline, and storing it in payload bucket 'payloads' failed: Error: AccessDenied: not allowed",
    });
  });

  it('an at-most-once endpoint answers a repeated request with an error, not null', async () => {
    const replies = sqs.createQueue(`${PREFIX}amo`);
    const { handler } = jobs({ delivery: 'at-most-once' });
    await handler({ Records: [request(replies, 'c-1', 'k-amo')] }, lambdaContext());
    await handler({ Records: [request(replies, 'c-2', 'k-amo')] }, lambdaContext());
    const answers = await answersOf(replies);
    expect(answers[1]).toEqual({
      ok: false,
      error:
        'the result was not kept for a repeated request: an earlier copy of this request took its key, and an at-most-once endpoint keeps no result to answer it again',
    });
  });

  it('a reply SQS refuses is replaced by an error reply saying why, so the requester does not wait', async () => {
    const replies = sqs.createQueue(`${PREFIX}small`, { MaximumMessageSize: '1024' });
    const { handler, capture } = jobs({ payloadBucket: 'payloads' }, async () => {});
    const record = rawRecord(
      'TaskRequested',
      { jobId: 'j', kind: 'checksum', input: 'x' },
      {
        attributes: {
          replyTo: stringAttribute(replies),
          correlationId: stringAttribute('c-small'),
          idempotencyKey: stringAttribute('k-small'),
        },
      },
    );
    await handler({ Records: [record] }, lambdaContext());
    const [answer] = await answersOf(replies);
    expect(answer).toEqual({ ok: false, error: expect.stringMatching(/^the reply could not be sent: .*1024/) });
    expect(capture.lines.find((l) => l.message === 'reply replaced by an error reply')).toMatchObject({
      level: 'WARN',
      messageId: record.messageId,
    });
  });
});
