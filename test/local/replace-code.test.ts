import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.ts';
import { startFixture } from '../support/local-cloud.ts';

const FUNCTION = 'replace-code-probe';
/** Answers which code it runs, after `event.ms` milliseconds. */
const codeAnswering = (version: string) =>
  `exports.handler = async (event) => { await new Promise((r) => setTimeout(r, event.ms ?? 0)); return '${version}'; };`;

let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startFixture('ReplaceCode', (stack) => {
    new lambda.Function(stack, 'Probe', {
      functionName: FUNCTION,
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(codeAnswering('old')),
    });
  });
});
afterAll(() => cloud?.stop());

const invoke = async (ms = 0) => {
  const result = await cloud.lambdas.invoke(FUNCTION, { ms });
  return result.ok ? result.payload : result.error;
};

describe('LambdaHost.replaceCode', () => {
  it('runs the new code from the next invocation; the one in flight finishes on the old code', async () => {
    expect(await invoke()).toBe('old');
    const inFlight = invoke(500);
    const newCode = mkdtempSync(join(tmpdir(), 'fanout-new-code-'));
    writeFileSync(join(newCode, 'index.js'), codeAnswering('new'));
    cloud.lambdas.replaceCode(FUNCTION, newCode);

    expect(await invoke()).toBe('new');
    expect(await inFlight).toBe('old');
    // The environment that finished on the old code is ended, not reused.
    expect([await invoke(), await invoke(), await invoke()]).toEqual(['new', 'new', 'new']);
    expect(cloud.lambdas.environments()[FUNCTION]).toBe(1);
    expect(cloud.lambdas.definition(FUNCTION).codeDir).toBe(newCode);
  });
});
