import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.ts';
import { probeConsumer, resultsTable } from './fixtures/fixture-app.ts';
import { physicalId, startFixture, waitFor } from './helpers.ts';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startFixture('Environments', (stack) => probeConsumer(stack, 'Pooled', resultsTable(stack)), {
    maxEnvironmentsPerFunction: 2,
    idleEnvironmentMs: 400,
  });
});
afterAll(() => cloud?.stop());

const fn = () => physicalId(cloud, 'PooledFunction', 'AWS::Lambda::Function');
const event = (id: string, ms: number) => ({
  Records: [
    {
      messageId: id,
      receiptHandle: 'r',
      body: JSON.stringify({ id, mode: 'sleep', ms }),
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {},
    },
  ],
});

describe('execution environments of a function', () => {
  it('are capped: invocations beyond the cap wait for a free one and all succeed', async () => {
    let peak = 0;
    const watch = setInterval(() => (peak = Math.max(peak, cloud.lambdas.environments()[fn()]!)), 10);
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => cloud.lambdas.invoke(fn(), event(`m-${i}`, 200))),
    );
    clearInterval(watch);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true]);
    expect(peak).toBe(2);
  });

  it('are ended when idle, like Lambda reaps them, and the next invocation starts a new one', async () => {
    await waitFor('idle environments reaped', () => cloud.lambdas.environments()[fn()] === 0, 10_000);
    expect((await cloud.lambdas.invoke(fn(), event('after-reap', 0))).ok).toBe(true);
    expect(cloud.lambdas.environments()[fn()]).toBe(1);
  });
});
