import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.ts';
import { probeConsumer, resultsTable } from './fixtures/fixture-app.ts';
import { physicalId, startFixture, sleepingProbeEvent } from '../support/local-cloud.ts';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startFixture(
    'EnvironmentBudget',
    (stack) => {
      const results = resultsTable(stack);
      probeConsumer(stack, 'First', results);
      probeConsumer(stack, 'Second', results);
    },
    { maxEnvironments: 1, idleEnvironmentMs: 60_000 },
  );
});
afterAll(() => cloud?.stop());

const fn = (id: string) => physicalId(cloud, `${id}Function`, 'AWS::Lambda::Function');
const alive = () => {
  const environments = cloud.lambdas.environments();
  return [environments[fn('First')], environments[fn('Second')]];
};

// Without the budget every function ever invoked kept its environments until idle for a minute:
// 200 subscribers run once held 6.2 GB in `bench:scale`.
it("ends another function's idle environment before a cold start beyond the cloud's budget", async () => {
  expect((await cloud.lambdas.invoke(fn('First'), sleepingProbeEvent('a', 0))).ok).toBe(true);
  expect(alive()).toEqual([1, 0]);
  expect((await cloud.lambdas.invoke(fn('Second'), sleepingProbeEvent('b', 0))).ok).toBe(true);
  expect(alive()).toEqual([0, 1]);
});

it('lets a cold start exceed the budget when no environment is idle: no invocation waits for it', async () => {
  let peak = 0;
  const watch = setInterval(() => (peak = Math.max(peak, alive().reduce((a, b) => a! + b!, 0)!)), 10);
  const results = await Promise.all([
    cloud.lambdas.invoke(fn('First'), sleepingProbeEvent('c', 600)),
    new Promise((resolve) => setTimeout(resolve, 300)).then(() =>
      cloud.lambdas.invoke(fn('Second'), sleepingProbeEvent('d', 300)),
    ),
  ]);
  clearInterval(watch);
  expect(results.map((r) => r.ok)).toEqual([true, true]);
  expect(peak).toBe(2);
});
