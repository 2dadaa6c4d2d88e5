import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, PermanentError } from '../../lambdas/runtime/index.ts';
import { TaskRequested } from '../fixtures/app/events.ts';
import { deadLetterReasonOf, startSqs, type LocalSqs } from '../support/emulators.ts';
import { drain } from '../support/drain.ts';
import { captureSink, lambdaContext, rawRecord, stringAttribute } from '../support/lambda-events.ts';
import { consumerConfig } from '../support/consumer-config.ts';

let sqs: LocalSqs;
beforeAll(async () => {
  sqs = await startSqs();
});
afterAll(async () => sqs.close());

const job = (jobId: string) => ({ jobId, kind: 'checksum' as const, input: 'abc' });

function jobsConsumer(deadLetterQueueUrl: string | undefined) {
  const capture = captureSink();
  const handler = createConsumer(
    {
      events: { TaskRequested },
      handlers: {
        TaskRequested: async (j) => {
          if (j.jobId.startsWith('bad')) throw new PermanentError(`job ${j.jobId} references a deleted input`);
          if (j.jobId.startsWith('flaky')) throw new Error('downstream timeout');
        },
      },
    },
    consumerConfig({
      name: 'jobs',
      source: 'sqs',
      queueUrl: sqs.createQueue('jobs'),
      maxReceiveCount: 3,
      deadLetterQueueUrl,
    }),
    { sqs: sqs.client, sink: capture.sink },
  );
  return { handler, capture };
}

describe('permanent and exhausted failures go to the DLQ with their reason', () => {
  it('a PermanentError from the handler is dead-lettered at once; a retryable one is retried until the last receive', async () => {
    const dlq = sqs.createQueue('jobs-dlq');
    const { handler, capture } = jobsConsumer(dlq);
    const bad = rawRecord('TaskRequested', job('bad-1'));
    const flakyFirst = rawRecord('TaskRequested', job('flaky-1'), { receiveCount: 1 });
    const flakyLast = rawRecord('TaskRequested', job('flaky-2'), { receiveCount: 3 });
    const good = rawRecord('TaskRequested', job('good-1'));
    const response = await handler({ Records: [bad, flakyFirst, flakyLast, good] }, lambdaContext());

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: flakyFirst.messageId }]);
    expect(capture.outcomeOf(bad.messageId)).toMatchObject({ outcome: 'dead-lettered', errorKind: 'permanent' });
    expect(capture.outcomeOf(flakyFirst.messageId)).toMatchObject({
      outcome: 'failed',
      errorKind: 'retryable',
      reason: 'Error: downstream timeout',
    });
    expect(capture.outcomeOf(flakyLast.messageId)).toMatchObject({
      outcome: 'dead-lettered',
      errorKind: 'retries-exhausted',
    });
    expect(capture.outcomeOf(good.messageId)).toMatchObject({ outcome: 'processed' });

    const dead = await drain(sqs.client, dlq, { delete: false });
    const reasons = Object.fromEntries(dead.map((m) => deadLetterReasonOf(m)!).map((r) => [r.originalMessageId, r]));
    expect(reasons[bad.messageId]).toMatchObject({
      kind: 'permanent',
      message: 'PermanentError: job bad-1 references a deleted input',
      consumer: 'jobs',
    });
    expect(reasons[flakyLast.messageId]).toMatchObject({ kind: 'retries-exhausted', receiveCount: 3 });
    expect(capture.metrics()[0]).toMatchObject({ Processed: 1, Failed: 3, DeadLettered: 2, Retried: 1 });
  });

  it('a DLQ send that fails leaves the record for retry (never lost) and says why', async () => {
    const { handler, capture } = jobsConsumer(`${sqs.endpoint}/000000000000/no-such-dlq`);
    const bad = rawRecord('TaskRequested', job('bad-2'));
    const response = await handler({ Records: [bad] }, lambdaContext());
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: bad.messageId }]);
    expect(capture.outcomeOf(bad.messageId)).toMatchObject({ outcome: 'failed', errorKind: 'permanent' });
    expect(String(capture.outcomeOf(bad.messageId)!.reason)).toMatch(
      /^PermanentError: job bad-2 references a deleted input; DLQ send failed: QueueDoesNotExist/,
    );
  });

  it('keeps every original attribute a replay needs (event type, key, correlation id…) beside the one reason attribute', async () => {
    const dlq = sqs.createQueue('jobs-dlq-attrs');
    const { handler } = jobsConsumer(dlq);
    const own = {
      idempotencyKey: stringAttribute('job-key-3'),
      tenant: stringAttribute('t-1'),
      correlationId: stringAttribute('c-3'),
    };
    const extra = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`extra${i}`, stringAttribute(`v${i}`)]));
    const bad = rawRecord('TaskRequested', job('bad-3'), { attributes: { ...own, ...extra } });
    await handler({ Records: [bad] }, lambdaContext());
    const [dead] = await drain(sqs.client, dlq, { delete: false });
    const names = Object.keys(dead!.MessageAttributes!).sort();
    expect(names).toEqual([...Object.keys(own), ...Object.keys(extra), 'eventType', 'fanoutDeadLetter'].sort());
    expect(dead!.MessageAttributes!.idempotencyKey!.StringValue).toBe('job-key-3');
    expect(deadLetterReasonOf(dead!)).toMatchObject({
      kind: 'permanent',
      consumer: 'jobs',
      originalMessageId: bad.messageId,
    });
  });

  it('a second dead-lettering replaces the first reason instead of carrying both', async () => {
    const dlq = sqs.createQueue('jobs-dlq-again');
    const { handler } = jobsConsumer(dlq);
    const stale = {
      fanoutDeadLetter: stringAttribute('{"kind":"schema-validation","message":"old"}'),
      fanoutErrorKind: stringAttribute('permanent'),
    };
    const bad = rawRecord('TaskRequested', job('bad-4'), { attributes: stale });
    await handler({ Records: [bad] }, lambdaContext());
    const [dead] = await drain(sqs.client, dlq, { delete: false });
    expect(Object.keys(dead!.MessageAttributes!).sort()).toEqual(['eventType', 'fanoutDeadLetter']);
    expect(deadLetterReasonOf(dead!)).toMatchObject({
      kind: 'permanent',
      message: 'PermanentError: job bad-4 references a deleted input',
    });
  });

  it('a message from another producer with 10 attributes keeps them all; the reason stays in the outcome', async () => {
    const dlq = sqs.createQueue('jobs-dlq-full');
    const { handler, capture } = jobsConsumer(dlq);
    const attributes = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`extra${i}`, stringAttribute(`v${i}`)]));
    const bad = rawRecord('TaskRequested', job('bad-5'), { attributes });
    await handler({ Records: [bad] }, lambdaContext());
    const [dead] = await drain(sqs.client, dlq, { delete: false });
    expect(Object.keys(dead!.MessageAttributes!)).toHaveLength(10);
    expect(deadLetterReasonOf(dead!)).toBeUndefined();
    expect(String(capture.outcomeOf(bad.messageId)!.reason)).toMatch(
      /reason not attached: the message already carries 10 attributes/,
    );
  });
});
