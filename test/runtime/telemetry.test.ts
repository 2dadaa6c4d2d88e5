import { describe, expect, it } from 'vitest';
import { createConsumer } from '../../lambdas/runtime/index.ts';
import { CONSUMER_METRICS } from '../../contracts/consumer-env.ts';
import { TaskRequested } from '../fixtures/app/events.ts';
import { captureSink, lambdaContext, rawRecord, snsRecord, stringAttribute } from '../support/lambda-events.ts';
import { consumerConfig, emulatorQueueUrl } from '../support/consumer-config.ts';

const job = (jobId: string) => ({ jobId, kind: 'word-count' as const, input: 'a b c' });

function consumer(source: 'sns' | 'sqs', now: () => number) {
  const capture = captureSink();
  const handler = createConsumer(
    {
      events: { TaskRequested },
      handlers: {
        TaskRequested: async (j, ctx) => {
          ctx.log('job started', { jobId: j.jobId });
          if (j.jobId === 'boom') throw new Error('boom');
        },
      },
    },
    consumerConfig({ name: 'jobs', source, queueUrl: emulatorQueueUrl('jobs') }),
    { sink: capture.sink, now },
  );
  return { handler, capture };
}

describe('observability', () => {
  it('writes one structured line per record with the correlation id, and handler lines tagged with it', async () => {
    const now = () => 1_700_000_000_000;
    const { handler, capture } = consumer('sqs', now);
    const record = rawRecord('TaskRequested', job('j1'), { attributes: { correlationId: stringAttribute('corr-42') } });
    await handler({ Records: [record] }, lambdaContext(30_000, now));

    expect(capture.lines.find((l) => l.message === 'job started')).toMatchObject({
      level: 'INFO',
      consumer: 'jobs',
      messageId: record.messageId,
      correlationId: 'corr-42',
      jobId: 'j1',
    });
    expect(capture.outcomes()).toEqual([
      {
        level: 'INFO',
        timestamp: expect.any(String),
        message: 'record outcome',
        consumer: 'jobs',
        messageId: record.messageId,
        eventType: 'TaskRequested',
        outcome: 'processed',
        correlationId: 'corr-42',
        durationMs: 0,
        receiveCount: 1,
      },
    ]);
  });

  it('emits EMF per invocation: counters by outcome and end-to-end lag from the SNS publish time', async () => {
    const now = () => Date.parse('2026-01-01T00:00:05.000Z');
    const { handler, capture } = consumer('sns', now);
    const records = [
      snsRecord('TaskRequested', job('j1'), { publishedAt: '2026-01-01T00:00:00.000Z' }),
      snsRecord('TaskRequested', job('boom'), { publishedAt: '2026-01-01T00:00:04.000Z' }),
    ];
    await handler({ Records: records }, lambdaContext(30_000, now));

    const [emf] = capture.metrics();
    expect(emf).toEqual({
      _aws: {
        Timestamp: now(),
        CloudWatchMetrics: [
          {
            Namespace: CONSUMER_METRICS.namespace,
            Dimensions: [['Consumer']],
            Metrics: [
              ...[
                'Processed',
                'Failed',
                'Retried',
                'Duplicate',
                'Deferred',
                'DeadLettered',
                'Dropped',
                'Shed',
                'LeaseLost',
              ].map((Name) => ({ Name, Unit: 'Count' })),
              { Name: 'EndToEndLagMs', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      Consumer: 'jobs',
      Processed: 1,
      Failed: 1,
      Retried: 1,
      Duplicate: 0,
      Deferred: 0,
      DeadLettered: 0,
      Dropped: 0,
      Shed: 0,
      LeaseLost: 0,
      EndToEndLagMs: [5_000, 1_000],
    });
  });

  it('splits lag values over documents of at most 100 values (the EMF limit)', async () => {
    const now = () => 10_000;
    const { handler, capture } = consumer('sqs', now);
    const records = Array.from({ length: 250 }, (_, i) =>
      rawRecord('TaskRequested', job(`j${i}`), { sentTimestamp: 9_000 }),
    );
    await handler({ Records: records }, lambdaContext(30_000, now));
    const docs = capture.metrics();
    expect(docs.map((d) => (d.EndToEndLagMs as number[]).length)).toEqual([100, 100, 50]);
    expect(docs[0]!.Processed).toBe(250);
    expect(docs[1]!.Processed).toBeUndefined();
    expect((docs[2]!.EndToEndLagMs as number[]).every((lag) => lag === 1_000)).toBe(true);
  });
});
