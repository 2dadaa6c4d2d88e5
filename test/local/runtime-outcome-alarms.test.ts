import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFanoutApp } from '../../lib/app.ts';
import { startLocalCloud, type LocalCloud } from '../../local/index.ts';
import { Ping } from '../fixtures/handlers/fails-every-record.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import type { Topology } from '../../topology/types.ts';
import { sharedDynamoDb } from '../support/shared-dynamodb.ts';
import { waitFor } from '../support/local-cloud.ts';
import { FIXTURE_TIME_SCALE } from '../support/fixture-app.ts';

/**
 * Two consumers whose handler fails every record with a retryable error while every invocation
 * succeeds: Lambda's Errors metric stays at 0.
 * `retrying` is at-least-once (failed, retried, dead-lettered), `lossy` at-most-once (dropped).
 * Synthesized for the prod stage, whose defaults alarm on the first failed or dropped record.
 */
const topology: Topology = {
  name: 'outcomes',
  events: { Ping: { schema: Ping } },
  topics: [
    {
      name: 'pings',
      events: ['Ping'],
      subscriptions: [
        { name: 'retrying', consumer: { handler: 'fails-every-record' } },
        { name: 'lossy', delivery: 'at-most-once', consumer: { handler: 'fails-every-record' } },
      ],
    },
  ],
};

let cloud: LocalCloud;
beforeAll(async () => {
  const assemblyDir = mkdtempSync(join(tmpdir(), 'fanout-outcome-alarms-'));
  const { app, stack } = createFanoutApp({
    topology,
    handlers: join(import.meta.dirname, '../fixtures/handlers'),
    context: { stage: 'prod' },
    outdir: assemblyDir,
    nag: false,
    cloudFormationValidation: false,
  });
  app.synth();
  cloud = await startLocalCloud({
    assemblyDir,
    stackName: stack.stackName,
    timeScale: FIXTURE_TIME_SCALE,
    dynamodb: sharedDynamoDb(),
  });
}, 180_000);
afterAll(() => cloud?.stop());

const state = (name: string) => cloud.alarms().find((a) => a.alarmName === name)?.state;

describe("alarms on the consumer runtime's outcome metrics, evaluated by the local cloud", () => {
  it('a handler failing every record puts failed-records (and, at-most-once, dropped) into ALARM; Errors stays OK', async () => {
    expect(cloud.alarms().map((a) => a.alarmName)).toEqual(
      expect.arrayContaining([
        'outcomes-prod-retrying-failed-records',
        'outcomes-prod-retrying-dead-lettered',
        'outcomes-prod-lossy-failed-records',
        'outcomes-prod-lossy-dropped',
      ]),
    );
    await cloud.clients.sns.send(
      new PublishBatchCommand({
        TopicArn: cloud.outputs[OUTPUT_KEYS.topicArn('pings')],
        PublishBatchRequestEntries: Array.from({ length: 5 }, (_, i) => ({
          Id: `m${i}`,
          Message: JSON.stringify({ id: `p-${i}` }),
          MessageAttributes: { eventType: { DataType: 'String', StringValue: 'Ping' } },
        })),
      }),
    );
    await waitFor('retrying failed-records in ALARM', () => state('outcomes-prod-retrying-failed-records') === 'ALARM');
    await waitFor('lossy dropped in ALARM', () => state('outcomes-prod-lossy-dropped') === 'ALARM');
    await waitFor('lossy failed-records in ALARM', () => state('outcomes-prod-lossy-failed-records') === 'ALARM');
    const reason = cloud.alarms().find((a) => a.alarmName === 'outcomes-prod-lossy-dropped')!.reason;
    expect(reason).toMatch(/^Threshold Crossed: 1 out of the last 1 datapoints \[\d+\] were greater than or equal/);
    // The runtime recorded what it saw: every record failed, none processed.
    const dims = { Consumer: 'lossy' };
    expect(cloud.metrics.total('Fanout', 'Dropped', dims)).toBe(5);
    expect(cloud.metrics.total('Fanout', 'Processed', dims)).toBe(0);
    // Lambda saw only successful invocations: the errors alarm is evaluated and not in ALARM.
    await waitFor('lossy errors evaluated', () => state('outcomes-prod-lossy-errors') !== 'INSUFFICIENT_DATA');
    expect(state('outcomes-prod-lossy-errors')).toBe('OK');
    expect(cloud.metrics.total('AWS/Lambda', 'Errors', { FunctionName: 'outcomes-prod-lossy' })).toBe(0);
  });
});
