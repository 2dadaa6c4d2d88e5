import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionWorkerPool } from '../../local/lambda/worker-pool.ts';
import type { LocalCloud } from '../../local/index.ts';
import { probeConsumer, resultsTable } from './fixtures/fixture-app.ts';
import { physicalId, probeInvocations, startFixture, waitFor, sleepingProbeEvent } from '../support/local-cloud.ts';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startFixture('Environments', (stack) => probeConsumer(stack, 'Pooled', resultsTable(stack)), {
    maxEnvironmentsPerFunction: 2,
    idleEnvironmentMs: 400,
  });
});
afterAll(() => cloud?.stop());

const fn = () => physicalId(cloud, 'PooledFunction', 'AWS::Lambda::Function');

describe('execution environments of a function', () => {
  it('are capped: invocations beyond the cap wait for a free one and all succeed', async () => {
    let peak = 0;
    const watch = setInterval(() => (peak = Math.max(peak, cloud.lambdas.environments()[fn()]!)), 10);
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => cloud.lambdas.invoke(fn(), sleepingProbeEvent(`m-${i}`, 200))),
    );
    clearInterval(watch);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true]);
    expect(peak).toBe(2);
  });

  it('are never started by a cold start still queued when the pool stops', async () => {
    const coldStarts = pLimit(1);
    let unblock = () => {};
    void coldStarts(() => new Promise<void>((resolve) => (unblock = resolve)));
    const pool = new FunctionWorkerPool(cloud.lambdas.definition(fn()), {}, () => {}, {
      coldStarts,
      idleTimeoutMs: 60_000,
      maxEnvironments: 1,
    });
    const invocation = pool.invoke(sleepingProbeEvent('queued', 0));
    await pool.stop();
    unblock();
    await invocation;
    await new Promise((resolve) => setImmediate(resolve));
    expect(pool.environments).toBe(0);
    expect(coldStarts.pendingCount + coldStarts.activeCount).toBe(0);
  });

  it('are ended when idle, like Lambda reaps them, and the next invocation starts a new one', async () => {
    await waitFor('idle environments reaped', () => cloud.lambdas.environments()[fn()] === 0, 10_000);
    expect((await cloud.lambdas.invoke(fn(), sleepingProbeEvent('after-reap', 0))).ok).toBe(true);
    expect(cloud.lambdas.environments()[fn()]).toBe(1);
  });
});

describe('an event source over a function at its environment cap', () => {
  let capped: LocalCloud;
  beforeAll(async () => {
    // One environment, five pollers (the default), invocations of 4.5 s; the time scale makes the
    // queue's visibility timeout 0.5 s, so the pollers hold a batch for Lambda's 10 s init budget +
    // the function's timeout (5 s) + 1 s: the fifth batch would wait 18 s for the environment.
    capped = await startFixture(
      'EnvironmentCap',
      (stack) => probeConsumer(stack, 'Slow', resultsTable(stack), { batchSize: 1, timeoutSeconds: 5 }),
      { maxEnvironmentsPerFunction: 1, timeScale: 60 },
    );
  });
  afterAll(() => capped?.stop());

  it('receives a batch only when an environment is free: waiting costs no receive', async () => {
    await capped.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: physicalId(capped, 'SlowQueue', 'AWS::SQS::Queue'),
        Entries: Array.from({ length: 5 }, (_, i) => ({
          Id: String(i),
          MessageBody: JSON.stringify({ id: `slow-${i}`, mode: 'sleep', ms: 4_500 }),
        })),
      }),
    );
    const queueUrl = physicalId(capped, 'SlowQueue', 'AWS::SQS::Queue');
    await waitFor(
      'the queue drained',
      () => {
        const g = capped.queueGauges(queueUrl)!;
        return g.visible + g.notVisible === 0;
      },
      60_000,
    );
    const invocations = await probeInvocations(capped);
    const receives = invocations.flatMap((i) => i.event.Records.map((r) => r.attributes.ApproximateReceiveCount));
    expect(receives).toEqual(['1', '1', '1', '1', '1']);
  }, 90_000);
});
