import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, DynamoDbIdempotencyStore } from '../../lambdas/runtime/index.ts';
import { replyTargetProblem } from '../../lambdas/runtime/reply.ts';
import { TaskRequested } from '../fixtures/app/events.ts';
import {
  createTable,
  deadLetterReasonOf,
  startDynamo,
  startSqs,
  type LocalDynamo,
  type LocalSqs,
} from '../support/emulators.ts';
import { drain } from '../support/drain.ts';
import { captureSink, lambdaContext, rawRecord, stringAttribute } from '../support/lambda-events.ts';
import { consumerConfig } from '../support/consumer-config.ts';

const PREFIX = 'fanout-dev-reply-';
let sqs: LocalSqs;
let dynamo: LocalDynamo;
let ownQueue: string;
/** A host that is not SQS: counts what reaches it. */
let outsider: { server: Server; url: string; requests: number };
beforeAll(async () => {
  sqs = await startSqs();
  dynamo = await startDynamo();
  await createTable(dynamo.client, 'idempotency', 'id');
  ownQueue = sqs.createQueue('fanout-dev-jobs');
  const server = createServer((_req, res) => {
    outsider.requests++;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  outsider = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: 0 };
});
afterAll(async () => {
  await sqs.close();
  await dynamo.close();
  outsider.server.close();
});

function jobs(overrides: Partial<Parameters<typeof consumerConfig>[0]> = {}) {
  let runs = 0;
  const capture = captureSink();
  const dlq = sqs.createQueue(`jobs-dlq-${Math.random().toString(36).slice(2)}`);
  const handler = createConsumer(
    {
      events: { TaskRequested },
      handlers: { TaskRequested: async (job) => ({ words: job.input.split(' ').length, run: ++runs }) },
    },
    consumerConfig({
      name: 'jobs',
      delivery: 'exactly-once',
      source: 'sqs',
      idempotencyTable: 'idempotency',
      keySources: [{ attribute: 'idempotencyKey' }, 'message-id'],
      deadLetterQueueUrl: dlq,
      queueUrl: ownQueue,
      requestReply: true,
      replyQueuePrefix: PREFIX,
      ...overrides,
    }),
    { store: new DynamoDbIdempotencyStore(dynamo.client, 'idempotency'), sqs: sqs.client, sink: capture.sink },
  );
  return { handler, capture, dlq, runs: () => runs };
}

const request = (replyTo: string, correlationId: string, payload: unknown, key: string) =>
  rawRecord('TaskRequested', payload, {
    attributes: {
      replyTo: stringAttribute(replyTo),
      correlationId: stringAttribute(correlationId),
      idempotencyKey: stringAttribute(key),
    },
  });
const answersOf = async (queueUrl: string) =>
  (await drain(sqs.client, queueUrl, { delete: false })).map((m) => [
    m.MessageAttributes!.correlationId!.StringValue,
    JSON.parse(m.Body!),
  ]);

describe('request/reply', () => {
  it("answers with the handler's result, and a duplicate request with the stored result without running again", async () => {
    const replies = sqs.createQueue(`${PREFIX}1`);
    const { handler } = jobs();
    const payload = { jobId: 'j1', kind: 'word-count', input: 'one two three' };
    await handler({ Records: [request(replies, 'corr-1', payload, 'k-1')] }, lambdaContext());
    await handler({ Records: [request(replies, 'corr-1b', payload, 'k-1')] }, lambdaContext());

    expect(await answersOf(replies)).toEqual([
      ['corr-1', { ok: true, result: { words: 3, run: 1 } }],
      ['corr-1b', { ok: true, result: { words: 3, run: 1 } }],
    ]);
  });

  it('a copy in the same batch is answered with the real result, not null', async () => {
    const replies = sqs.createQueue(`${PREFIX}same-batch`);
    const { handler, runs } = jobs();
    const payload = { jobId: 'j-sb', kind: 'word-count', input: 'a b' };
    await handler(
      { Records: [request(replies, 'corr-a', payload, 'k-sb'), request(replies, 'corr-b', payload, 'k-sb')] },
      lambdaContext(),
    );
    expect(runs()).toBe(1);
    expect((await answersOf(replies)).sort()).toEqual([
      ['corr-a', { ok: true, result: { words: 2, run: 1 } }],
      ['corr-b', { ok: true, result: { words: 2, run: 1 } }],
    ]);
  });

  it("a copy from another requester (a reused or guessed key) never receives the first requester's result", async () => {
    const mine = sqs.createQueue(`${PREFIX}mine`);
    const theirs = sqs.createQueue(`${PREFIX}theirs`);
    const { handler, runs } = jobs();
    const payload = { jobId: 'j-secret', kind: 'checksum', input: 'secret input' };
    await handler({ Records: [request(mine, 'corr-mine', payload, 'k-secret')] }, lambdaContext());
    await handler({ Records: [request(theirs, 'corr-theirs', payload, 'k-secret')] }, lambdaContext());
    expect(runs()).toBe(1);
    expect(await answersOf(mine)).toEqual([['corr-mine', { ok: true, result: { words: 2, run: 1 } }]]);
    expect(await answersOf(theirs)).toEqual([
      [
        'corr-theirs',
        { ok: false, error: 'this idempotency key was already used by another requester; its result is not shared' },
      ],
    ]);
  });

  it('a key reused with a different payload is dead-lettered as idempotency-key-reused, not answered as a duplicate', async () => {
    const replies = sqs.createQueue(`${PREFIX}reuse`);
    const { handler, capture, dlq, runs } = jobs();
    await handler(
      { Records: [request(replies, 'corr-r1', { jobId: 'j-r', kind: 'word-count', input: 'a' }, 'k-r')] },
      lambdaContext(),
    );
    const reused = request(replies, 'corr-r2', { jobId: 'j-r2', kind: 'word-count', input: 'a b c d' }, 'k-r');
    await handler({ Records: [reused] }, lambdaContext());
    expect(runs()).toBe(1);
    expect(capture.outcomeOf(reused.messageId)).toMatchObject({
      outcome: 'dead-lettered',
      errorKind: 'idempotency-key-reused',
    });
    const [dead] = await drain(sqs.client, dlq, { delete: false });
    expect(deadLetterReasonOf(dead!)?.kind).toBe('idempotency-key-reused');
    const answers = await answersOf(replies);
    expect(answers[1]).toEqual([
      'corr-r2',
      {
        ok: false,
        error: expect.stringMatching(
          /^IdempotencyKeyReusedError: idempotency key 'jobs#TaskRequested#attr:idempotencyKey:k-r' already belongs to a message with a different payload/,
        ),
      },
    ]);
  });

  it('answers a dead-lettered request with the reason', async () => {
    const replies = sqs.createQueue(`${PREFIX}2`);
    const { handler } = jobs();
    await handler(
      { Records: [request(replies, 'corr-2', { jobId: 'j2', kind: 'sort', input: '' }, 'k-2')] },
      lambdaContext(),
    );
    const [answer] = await drain(sqs.client, replies, { delete: false });
    expect(JSON.parse(answer!.Body!)).toEqual({
      ok: false,
      error:
        'SchemaValidationError: TaskRequested payload does not match its schema: kind: Invalid type: Expected ("word-count" | "checksum") but received "sort"',
    });
  });

  it('a reply that cannot be sent is logged and leaves the outcome alone', async () => {
    const { handler, capture } = jobs();
    const record = request(
      `${new URL(ownQueue).origin}/000000000000/${PREFIX}gone`,
      'corr-3',
      { jobId: 'j3', kind: 'checksum', input: 'x' },
      'k-3',
    );
    const response = await handler({ Records: [record] }, lambdaContext());
    expect(response.batchItemFailures).toEqual([]);
    expect(capture.outcomeOf(record.messageId)).toMatchObject({ outcome: 'processed' });
    expect(capture.lines.find((l) => l.message === 'reply not sent')).toMatchObject({
      level: 'WARN',
      messageId: record.messageId,
    });
  });
});

describe('replyTo comes from a message: it is checked against what the stack owns', () => {
  const payload = { jobId: 'j-ssrf', kind: 'checksum', input: 'x' };

  it.each([
    ['another host', () => `${outsider.url}/000000000000/${PREFIX}x`, /is not in this stack's account and region/],
    [
      'the metadata service',
      () => 'http://169.254.169.254/latest/meta-data/iam/security-credentials/role',
      /is not an SQS queue URL/,
    ],
    [
      'a queue outside the reply prefix',
      () => `${new URL(ownQueue).origin}/000000000000/fanout-dev-jobs-dlq`,
      /is not one of this stack's reply queues \(fanout-dev-reply-\*\)/,
    ],
    [
      'another account',
      () => `${new URL(ownQueue).origin}/999999999999/${PREFIX}x`,
      /is not in this stack's account and region/,
    ],
    ['not a URL', () => 'file:///etc/passwd', /uses file:, not an SQS queue URL/],
  ])('refuses %s, logs why and sends nothing', async (_name, replyTo, why) => {
    const before = outsider.requests;
    const { handler, capture } = jobs();
    const record = request(replyTo(), 'corr-x', payload, `k-${Math.random()}`);
    const response = await handler({ Records: [record] }, lambdaContext());
    expect(response.batchItemFailures).toEqual([]);
    expect(capture.outcomeOf(record.messageId)).toMatchObject({ outcome: 'processed' });
    expect(String(capture.lines.find((l) => l.message === 'reply refused')?.reason)).toMatch(why);
    expect(outsider.requests).toBe(before);
  });

  it('checks the origin and account against its own queue in every config: none can skip it', () => {
    const own = 'https://sqs.us-east-1.amazonaws.com/123456789012/fanout-dev-jobs';
    const config = { replyQueuePrefix: PREFIX, queueUrl: own };
    const otherRegion = `https://sqs.eu-west-1.amazonaws.com/123456789012/${PREFIX}x`;
    const otherAccount = `https://sqs.us-east-1.amazonaws.com/999999999999/${PREFIX}x`;
    expect(replyTargetProblem(otherRegion, config)).toBe(
      "replyTo 'https://sqs.eu-west-1.amazonaws.com/123456789012/…' is not in this stack's account and region (https://sqs.us-east-1.amazonaws.com/123456789012)",
    );
    expect(replyTargetProblem(otherAccount, config)).toBe(
      "replyTo 'https://sqs.us-east-1.amazonaws.com/999999999999/…' is not in this stack's account and region (https://sqs.us-east-1.amazonaws.com/123456789012)",
    );
    expect(replyTargetProblem(`https://sqs.us-east-1.amazonaws.com/123456789012/${PREFIX}x`, config)).toBeUndefined();
    // A config without its own queue once let any origin and account through; it no longer type-checks,
    // and one forced past the compiler is never accepted either.
    // @ts-expect-error queueUrl is required
    const withoutOwnQueue: Parameters<typeof replyTargetProblem>[1] = { replyQueuePrefix: PREFIX };
    expect(() => replyTargetProblem(otherAccount, withoutOwnQueue)).toThrow();
  });

  it('an endpoint that is not request/reply answers no replyTo at all', async () => {
    const replies = sqs.createQueue(`${PREFIX}not-rr`);
    const { handler, capture } = jobs({ requestReply: false });
    const record = request(replies, 'corr-n', payload, 'k-not-rr');
    await handler({ Records: [record] }, lambdaContext());
    expect(capture.outcomeOf(record.messageId)).toMatchObject({ outcome: 'processed' });
    expect(await drain(sqs.client, replies, { delete: false })).toEqual([]);
  });
});
