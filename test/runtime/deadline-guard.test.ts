import { describe, expect, it } from 'vitest';
import { createConsumer } from '../../lambdas/runtime/index.ts';
import { CartPlaced } from '../fixtures/app/events.ts';
import { captureSink, lambdaContext, rawRecord } from '../support/lambda-events.ts';
import { consumerConfig, emulatorQueueUrl } from '../support/consumer-config.ts';

const order = (orderId: string) => ({
  orderId,
  customerId: 'c',
  email: 'a@example.com',
  items: [{ sku: 's', quantity: 1 }],
  totalCents: 1,
});

describe('deadline guard', () => {
  it('stops starting records when less than the margin remains and reports the unstarted ones for retry', async () => {
    let clock = 1_000_000;
    const now = () => clock;
    const handled: string[] = [];
    const capture = captureSink();
    const handler = createConsumer(
      {
        events: { CartPlaced },
        handlers: {
          CartPlaced: async (o) => {
            handled.push(o.orderId);
            clock += 3_000; // each record takes 3 s of the invocation
          },
        },
      },
      consumerConfig({ name: 'warehouse', source: 'sns-raw', queueUrl: emulatorQueueUrl('warehouse'), parallelism: 1 }),
      { sink: capture.sink, now },
    );
    const records = ['o1', 'o2', 'o3', 'o4'].map((id) => rawRecord('CartPlaced', order(id)));
    const response = await handler({ Records: records }, lambdaContext(10_000, now));

    expect(handled).toEqual(['o1', 'o2', 'o3']);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[3]!.messageId }]);
    expect(capture.outcomeOf(records[3]!.messageId)).toMatchObject({
      outcome: 'not-started',
      reason: 'deadline guard: 1000ms left, below the 2000ms margin',
    });
    expect(capture.metrics()[0]).toMatchObject({ Processed: 3, Retried: 1, Failed: 0 });
  });

  it('caps the margin at a quarter of a short invocation so small timeouts still process', async () => {
    let clock = 0;
    const now = () => clock;
    const handled: string[] = [];
    const handler = createConsumer(
      {
        events: { CartPlaced },
        handlers: {
          CartPlaced: async (o) => {
            handled.push(o.orderId);
            clock += 500;
          },
        },
      },
      consumerConfig({ name: 'warehouse', source: 'sns-raw', queueUrl: emulatorQueueUrl('warehouse'), parallelism: 1 }),
      { sink: captureSink().sink, now },
    );
    const records = ['o1', 'o2', 'o3', 'o4'].map((id) => rawRecord('CartPlaced', order(id)));
    // 2 s invocation: margin min(2000, 500) = 500 ms → o1 at 2000, o2 at 1500, o3 at 1000, o4 at 500 left.
    const response = await handler({ Records: records }, lambdaContext(2_000, now));
    expect(handled).toEqual(['o1', 'o2', 'o3', 'o4']);
    expect(response.batchItemFailures).toEqual([]);
  });
});
