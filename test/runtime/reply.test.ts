import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerConfig, createConsumer } from '../../lambdas/runtime/index.ts';
import { JobRequested } from '../../topology/events/jobs.ts';
import { createTable, drain, startDynamo, startSqs, type LocalDynamo, type LocalSqs } from './support/emulators.ts';
import { captureSink, lambdaContext, rawRecord, stringAttribute } from './support/events.ts';
import { DynamoDbIdempotencyStore } from '../../lambdas/runtime/index.ts';

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

function jobs() {
  let runs = 0;
  const capture = captureSink();
  const dlq = sqs.createQueue(`jobs-dlq-${Math.random().toString(36).slice(2)}`);
  const handler = createConsumer(
    { events: { JobRequested }, handlers: { JobRequested: async (job) => ({ words: job.input.split(' ').length, run: ++runs }) } },
    consumerConfig({ name: 'jobs', delivery: 'exactly-once', source: 'sqs', idempotencyTable: 'idempotency', keySources: [{ attribute: 'idempotencyKey' }, 'message-id'], deadLetterQueueUrl: dlq }),
    { store: new DynamoDbIdempotencyStore(dynamo.client, 'idempotency'), sqs: sqs.client, sink: capture.sink },
  );
  return { handler, capture };
}

const request = (replyTo: string, correlationId: string, payload: unknown, key: string) =>
  rawRecord('JobRequested', payload, {
    attributes: { replyTo: stringAttribute(replyTo), correlationId: stringAttribute(correlationId), idempotencyKey: stringAttribute(key) },
  });

describe('request/reply', () => {
  it("answers with the handler's result, and a duplicate request with the stored result without running again", async () => {
    const replies = sqs.createQueue('replies-1');
    const { handler } = jobs();
    const payload = { jobId: 'j1', kind: 'word-count', input: 'one two three' };
    await handler({ Records: [request(replies, 'corr-1', payload, 'k-1')] }, lambdaContext());
    await handler({ Records: [request(replies, 'corr-1b', payload, 'k-1')] }, lambdaContext());

    const answers = await drain(sqs.client, replies);
    expect(answers.map((m) => [m.MessageAttributes!.correlationId!.StringValue, JSON.parse(m.Body!)])).toEqual([
      ['corr-1', { ok: true, result: { words: 3, run: 1 } }],
      ['corr-1b', { ok: true, result: { words: 3, run: 1 } }],
    ]);
  });

  it('answers a dead-lettered request with the reason', async () => {
    const replies = sqs.createQueue('replies-2');
    const { handler } = jobs();
    await handler({ Records: [request(replies, 'corr-2', { jobId: 'j2', kind: 'sort', input: '' }, 'k-2')] }, lambdaContext());
    const [answer] = await drain(sqs.client, replies);
    expect(JSON.parse(answer!.Body!)).toEqual({
      ok: false,
      error: 'SchemaValidationError: JobRequested payload does not match its schema: kind: Invalid type: Expected ("word-count" | "checksum") but received "sort"',
    });
  });

  it('a reply that cannot be sent is logged and leaves the outcome alone', async () => {
    const { handler, capture } = jobs();
    const record = request(`${sqs.endpoint}/000000000000/gone`, 'corr-3', { jobId: 'j3', kind: 'checksum', input: 'x' }, 'k-3');
    const response = await handler({ Records: [record] }, lambdaContext());
    expect(response.batchItemFailures).toEqual([]);
    expect(capture.outcomeOf(record.messageId)).toMatchObject({ outcome: 'processed' });
    expect(capture.lines.find((l) => l.message === 'reply not sent')).toMatchObject({ level: 'WARN', messageId: record.messageId });
  });
});
