import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.ts';
import { probeConsumer, resultsTable } from './fixtures/fixture-app.ts';
import { physicalId, probeInvocations, startFixture } from '../support/local-cloud.ts';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startFixture('FunctionFixture', (stack) => {
    const results = resultsTable(stack);
    probeConsumer(stack, 'Alpha', results, { setting: 'alpha-only' });
    probeConsumer(stack, 'Beta', results, { setting: 'beta-only', esm: 'cjs', timeoutSeconds: 1 });
  });
});
afterAll(() => cloud?.stop());

const fn = (name: string) => physicalId(cloud, `${name}Function`, 'AWS::Lambda::Function');
const event = (body: object) => ({
  Records: [
    {
      messageId: 'm-1',
      receiptHandle: 'r',
      body: JSON.stringify(body),
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {},
    },
  ],
});
const lastInvocationOf = async (name: string) =>
  (await probeInvocations(cloud)).filter((i) => i.functionName === fn(name)).at(-1)!;

describe('local Lambda functions', () => {
  it('keeps every line of one large write to stdout (1,000,000 lines in one console.log)', async () => {
    expect((await cloud.lambdas.invoke(fn('Alpha'), event({ mode: 'log', lines: 1_000_000 }))).ok).toBe(true);
    expect(cloud.lambdas.logs(fn('Alpha'))).toContain('line 999999');
  });

  it('gives each function its own environment: template variables, reserved variables, endpoints', async () => {
    expect((await cloud.lambdas.invoke(fn('Alpha'), event({ mode: 'ok' }))).ok).toBe(true);
    expect((await cloud.lambdas.invoke(fn('Beta'), event({ mode: 'ok' }))).ok).toBe(true);
    const alpha = await lastInvocationOf('Alpha');
    const beta = await lastInvocationOf('Beta');
    expect(alpha.env).toMatchObject({
      FIXTURE_SETTING: 'alpha-only',
      AWS_LAMBDA_FUNCTION_NAME: fn('Alpha'),
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_REGION: 'us-east-1',
    });
    expect(beta.env).toMatchObject({ FIXTURE_SETTING: 'beta-only', AWS_LAMBDA_FUNCTION_NAME: fn('Beta') });
    expect(String(alpha.env.AWS_ENDPOINT_URL_SQS)).toContain(`:${new URL(cloud.endpoints.messaging).port}`);
    expect(process.env.FIXTURE_SETTING).toBeUndefined();
    expect(process.env.AWS_LAMBDA_FUNCTION_NAME).toBeUndefined();
  });

  it('reuses a warm environment and passes a context with the remaining time', async () => {
    await cloud.lambdas.invoke(fn('Alpha'), event({ mode: 'ok' }));
    const warm = await lastInvocationOf('Alpha');
    expect(Number(warm.env.invocationsInThisEnvironment)).toBeGreaterThanOrEqual(2);
    expect(warm.remainingMs).toBeLessThanOrEqual(10_000);
    expect(warm.remainingMs).toBeGreaterThan(5_000);
  });

  it('terminates a function that runs past its timeout and reports Sandbox.Timedout', async () => {
    const result = await cloud.lambdas.invoke(fn('Beta'), event({ mode: 'sleep', ms: 5_000 }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 1.00 seconds',
    });
    expect(cloud.lambdas.stats(fn('Beta')).timeouts).toBe(1);
    expect((await cloud.lambdas.invoke(fn('Beta'), event({ mode: 'ok' }))).ok).toBe(true);
    expect((await lastInvocationOf('Beta')).env.invocationsInThisEnvironment).toBe(1);
  });

  it('reports a crashed runtime (process.exit) and replaces the environment', async () => {
    const result = await cloud.lambdas.invoke(fn('Alpha'), event({ mode: 'crash' }));
    expect(!result.ok && result.error).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: 'Runtime exited with error: exit status 3',
    });
    expect((await cloud.lambdas.invoke(fn('Alpha'), event({ mode: 'ok' }))).ok).toBe(true);
    expect((await lastInvocationOf('Alpha')).env.invocationsInThisEnvironment).toBe(1);
  });

  it('returns a thrown error with its type and message', async () => {
    const result = await cloud.lambdas.invoke(fn('Alpha'), event({ mode: 'throw' }));
    expect(!result.ok && result.error.errorType).toBe('Error');
    expect(!result.ok && result.error.errorMessage).toBe('probe asked to throw');
    expect(cloud.lambdas.stats(fn('Alpha')).errors).toBe(2);
  });

  it('names the deployed functions when asked for an unknown one', async () => {
    await expect(cloud.lambdas.invoke('nope', {})).rejects.toThrow(
      `Function 'nope' is not deployed locally; functions: `,
    );
  });
});
