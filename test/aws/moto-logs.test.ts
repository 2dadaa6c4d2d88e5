import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { formatOutcomeLine, RECORD_OUTCOME_MESSAGE } from '../../contracts/outcome-log.ts';
import { runFanout } from './support/moto-stack.ts';
import { createStack } from './support/moto-deploy.ts';
import { motoClientConfig, motoProcessEnv } from './support/moto-env.ts';
import { missingPrerequisites, startMotoServer, type MotoServer } from './support/moto-server.ts';

// `fanout logs --target aws` finds the consumer's function in the stack's outputs and reads its log
// group through CloudWatch Logs FilterLogEvents, lines as Lambda's JSON log format stores them.
const STACK = 'fanout-dev';
const FUNCTION = 'fanout-dev-inventory';
const GROUP = `/aws/lambda/${FUNCTION}`;
const missing = missingPrerequisites();
if (missing && process.env.CI !== 'true') console.warn(`test/aws/moto-logs.test.ts skipped: ${missing}.`);

/** A line the function wrote with console.log, as Lambda's JSON log format wraps it. */
const wrapped = (message: string) =>
  JSON.stringify({ timestamp: new Date().toISOString(), level: 'INFO', requestId: 'r-1', message });

(missing && process.env.CI !== 'true' ? describe.skip : describe)('fanout logs --target aws against moto', () => {
  let moto: MotoServer;
  let dir: string;
  beforeAll(async () => {
    if (missing) throw new Error(`CI=true and ${missing}: the moto suite must run in CI.`);
    moto = await startMotoServer();
    dir = mkdtempSync(join(tmpdir(), 'fanout-moto-logs-'));
    await createStack(moto.endpoint, STACK, {
      Resources: { LogGroup: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: GROUP } } },
      Outputs: { [OUTPUT_KEYS.functionName('inventory')]: { Value: FUNCTION } },
    });
    const logs = new CloudWatchLogsClient(motoClientConfig(moto.endpoint));
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 's-1' }));
    const now = Date.now();
    const failed = formatOutcomeLine({
      level: 'ERROR',
      timestamp: new Date(now).toISOString(),
      message: RECORD_OUTCOME_MESSAGE,
      consumer: 'inventory',
      messageId: 'm-1',
      eventType: 'CartPlaced',
      outcome: 'failed',
      correlationId: 'corr-1',
      reason: 'Error: out of stock',
      stack: 'Error: out of stock\n    at reserve (index.mjs:1:200)',
    });
    const messages = [
      [now - 2 * 3_600_000, wrapped('an old line')],
      [
        now - 3,
        JSON.stringify({ time: new Date().toISOString(), type: 'platform.start', record: { requestId: 'r-1' } }),
      ],
      [now - 2, wrapped(JSON.stringify({ level: 'INFO', message: 'reserving', correlationId: 'corr-1', sku: 's-1' }))],
      [now - 1, wrapped('plain console line')],
      [now, wrapped(failed)],
    ] as const;
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: 's-1',
        logEvents: messages.map(([timestamp, message]) => ({ timestamp, message })),
      }),
    );
    logs.destroy();
  });
  afterAll(async () => {
    await moto?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints the lines since --since, unwrapped and prefixed like `fanout start`, with the stack of a failure', async () => {
    const env = { ...motoProcessEnv(moto.endpoint), FANOUT_LOCAL_REGISTRY: join(dir, 'none.json') };
    const { code, stdout, stderr } = await runFanout(env, 'logs', 'inventory', '--target', 'aws', '--since', '1h');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trimEnd().split('\n');
    const text = lines.map((l) => l.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, ''));
    expect(text).toEqual([
      `[${FUNCTION}] corr-1 reserving {"sku":"s-1"}`,
      `[${FUNCTION}] plain console line`,
      `[${FUNCTION}] corr-1 failed CartPlaced m-1: Error: out of stock`,
      '    Error: out of stock',
      '        at reserve (index.mjs:1:200)',
    ]);
  });

  it('names the log group and the fix when the function has not logged', async () => {
    const env = { ...motoProcessEnv(moto.endpoint), FANOUT_LOCAL_REGISTRY: join(dir, 'none.json') };
    const logs = new CloudWatchLogsClient(motoClientConfig(moto.endpoint));
    await logs.send(new DeleteLogGroupCommand({ logGroupName: GROUP }));
    logs.destroy();
    const { code, stderr } = await runFanout(env, 'logs', 'inventory', '--target', 'aws');
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `LogsUnavailableError: Log group '${GROUP}' of 'inventory' does not exist (CloudFormation, region us-east-1): the function has not run yet or its logs were deleted. Fix: publish to it first, or check --stage and --target.`,
    );
  });
});
