import { describe, expect, it } from 'vitest';
import { createConsumer } from '../../lambdas/runtime/index.ts';
import { TaskRequested } from '../fixtures/app/events.ts';
import { captureSink, lambdaContext, rawRecord } from '../support/lambda-events.ts';
import { pause } from './support/gate.ts';
import { consumerConfig, emulatorQueueUrl } from '../support/consumer-config.ts';

describe('standard queues: bounded concurrency', () => {
  it.each([1, 3, 10])('runs at most %i records of a batch at once and reports every outcome', async (parallelism) => {
    let inFlight = 0;
    let most = 0;
    const capture = captureSink();
    const handler = createConsumer(
      {
        events: { TaskRequested },
        handlers: {
          TaskRequested: async (job) => {
            most = Math.max(most, ++inFlight);
            await pause(5);
            inFlight--;
            if (job.jobId === 'j7') throw new Error('worker crashed');
          },
        },
      },
      consumerConfig({ name: 'jobs', source: 'sqs', queueUrl: emulatorQueueUrl('jobs'), parallelism }),
      { sink: capture.sink },
    );
    const records = Array.from({ length: 20 }, (_, i) =>
      rawRecord('TaskRequested', { jobId: `j${i}`, kind: 'checksum', input: 'x' }),
    );
    const response = await handler({ Records: records }, lambdaContext());
    expect(most).toBe(parallelism);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[7]!.messageId }]);
    expect(capture.outcomes()).toHaveLength(20);
  });
});
