import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackpressureError } from '../../client/errors.ts';
import { createPublisher } from '../../client/publisher.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { drain } from '../support/drain.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

let stack: FauxqsStack;
let depthReads = 0;
const job = (i: number) => ({ jobId: `j-${i}`, kind: 'checksum' as const, input: 'x' });

beforeAll(async () => {
  stack = await startFauxqsStack();
  stack.clients.sqs.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetQueueAttributesCommand') depthReads++;
      return next(args);
    },
    { step: 'initialize', name: 'countDepthReads' },
  );
});
afterAll(() => stack.stop());

async function fillJobs(count: number) {
  for (let i = 0; i < count; i += 10) {
    await stack.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack.outputs[OUTPUT_KEYS.queueUrl('jobs')],
        Entries: Array.from({ length: Math.min(10, count - i) }, (_, k) => ({ Id: String(k), MessageBody: '{}' })),
      }),
    );
  }
}

describe('backpressure on a work queue', () => {
  it('rejects with BackpressureError above maxQueueDepth, reading the depth once per interval', async () => {
    await fillJobs(12);
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: stack.source,
      clients: stack.clients,
      maxQueueDepth: 10,
      depthCheckIntervalMs: 60_000,
    });
    depthReads = 0;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => publisher.publish('TaskRequested', job(i))),
    );
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof BackpressureError)).toBe(true);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe(
      "Work queue 'jobs' holds 12 messages, more than maxQueueDepth 10. Fix: slow down, retry later, or raise maxQueueDepth (consumers are behind).",
    );
    expect(depthReads).toBe(1);
    // Topics are not gated.
    await expect(publisher.publish('CartCancelled', { orderId: 'o', reason: 'r' })).resolves.toBeTypeOf('string');
    await publisher.close();
    expect(await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!)).toHaveLength(12);
  });

  it("in 'wait' mode holds publish until consumers drain the queue", async () => {
    await fillJobs(15);
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: stack.source,
      clients: stack.clients,
      maxQueueDepth: 10,
      backpressure: 'wait',
      depthCheckIntervalMs: 50,
    });
    let sent = false;
    depthReads = 0;
    const publishing = publisher.publish('TaskRequested', job(99)).then((id) => {
      sent = true;
      return id;
    });
    // Held, not merely slow: the publisher read the depth twice and still has not sent it.
    await expect.poll(() => depthReads).toBeGreaterThanOrEqual(2);
    expect(sent).toBe(false);
    const drained = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!, { max: 15 });
    expect(drained.map((m) => m.Body)).not.toContain(JSON.stringify(job(99)));
    const id = await publishing;
    const [m] = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!, { max: 1 });
    expect(m!.MessageId).toBe(id);
    await publisher.close();
  });

  it("in 'wait' mode gives up after maxBackpressureWaitMs", async () => {
    await fillJobs(11);
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: stack.source,
      clients: stack.clients,
      maxQueueDepth: 10,
      backpressure: 'wait',
      depthCheckIntervalMs: 20,
      maxBackpressureWaitMs: 100,
    });
    await expect(publisher.publish('TaskRequested', job(1))).rejects.toThrow(
      "Work queue 'jobs' holds 11 messages, more than maxQueueDepth 10 after waiting 100 ms.",
    );
    await publisher.close();
    await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!);
  });
});
