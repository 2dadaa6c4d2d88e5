import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOperator, type OperatorContext } from '../../client/operator.ts';
import { alarmsOf, subscriberStatus } from '../../client/status.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

let stack: FauxqsStack;
let ops: OperatorContext;
beforeAll(async () => {
  stack = await startFauxqsStack();
  ops = await connectOperator({ topology: fixtureTopology, source: stack.source, clients: stack.clients });
});
afterAll(() => stack.stop());

describe('subscriber status', () => {
  it('reports visible, in-flight, delayed and DLQ depth per subscriber from SQS attributes', async () => {
    const send = (url: string, delay = 0) =>
      stack.clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{}', DelaySeconds: delay }));
    for (let i = 0; i < 5; i++) await send(stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!);
    await send(stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!, 600);
    await stack.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.outputs[OUTPUT_KEYS.queueUrl('jobs')], MaxNumberOfMessages: 2 }),
    );
    await send(stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('jobs')]!);
    const status = await subscriberStatus(ops);
    expect(status.map((s) => s.path)).toEqual([
      'orders/inventory',
      'orders/email',
      'orders/warehouse',
      'orders/analytics',
      'payments/ledger',
      'payments/audit',
      'jobs',
    ]);
    expect(status.find((s) => s.name === 'jobs')).toMatchObject({
      visible: 3,
      inFlight: 2,
      delayed: 1,
      dlqVisible: 1,
      delivery: 'exactly-once',
      // fauxqs has no CloudWatch: no age, no alarms (the CLI shows "n/a").
      oldestAgeSeconds: undefined,
      alarms: undefined,
    });
    expect(status.find((s) => s.name === 'analytics')!.dlqVisible).toBeUndefined();
  });

  it('matches alarms to a subscriber by the resources their metrics watch', () => {
    const insight = {
      source: 'test',
      oldestAgeSeconds: new Map(),
      alarms: [
        { name: 'a1', state: 'ALARM', watches: ['fanout-dev-jobs'] },
        { name: 'a2', state: 'OK', watches: ['fanout-dev-jobs-dlq'] },
        { name: 'a3', state: 'ALARM', watches: ['fanout-dev-email'] },
      ],
    };
    const jobs = ['fanout-dev-jobs', 'fanout-dev-jobs-dlq', 'fanout-dev-jobs'];
    expect(alarmsOf(insight, 'fanout-dev', 'jobs', jobs, ['email', 'jobs'])).toEqual([
      { name: 'a1', state: 'ALARM' },
      { name: 'a2', state: 'OK' },
    ]);
  });

  it("lists the runtime's outcome alarms (dimension Consumer = the endpoint) with their endpoint", async () => {
    const insight = {
      source: 'CloudWatch',
      oldestAgeSeconds: new Map(),
      alarms: [
        { name: 'fanout-dev-jobs-failed-records', state: 'ALARM', watches: ['jobs'] },
        { name: 'fanout-dev-analytics-dropped', state: 'OK', watches: ['analytics'] },
      ],
    };
    const status = await subscriberStatus(ops, insight);
    expect(status.find((s) => s.name === 'jobs')!.alarms).toEqual([
      { name: 'fanout-dev-jobs-failed-records', state: 'ALARM' },
    ]);
    expect(status.find((s) => s.name === 'analytics')!.alarms).toEqual([
      { name: 'fanout-dev-analytics-dropped', state: 'OK' },
    ]);
  });

  it('shows age and alarms from the local cloud status snapshot, matching alarms by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanout-status-'));
    const statusFile = join(dir, 'status.json');
    writeFileSync(
      statusFile,
      JSON.stringify({
        sampledAt: '2026-01-01T00:00:00.000Z',
        oldestAgeSeconds: { 'fanout-dev-email': 42 },
        alarms: [
          { name: 'fanout-dev-email-age', state: 'ALARM' },
          { name: 'fanout-dev-email-dlq', state: 'OK' },
          { name: 'fanout-dev-inventory-depth', state: 'OK' },
        ],
      }),
    );
    const registry = join(dir, 'local.json');
    const { region, endpoints } = {
      region: 'us-east-1',
      endpoints: { sqs: stack.server.address, sns: stack.server.address, s3: stack.server.address },
    };
    writeFileSync(
      registry,
      JSON.stringify({ region, endpoints, statusFile, stacks: { 'fanout-dev': { outputs: stack.outputs } } }),
    );
    const local = await connectOperator({
      topology: fixtureTopology,
      source: { kind: 'local-registry', path: registry },
    });
    const status = await subscriberStatus(local);
    local.close();
    expect(status.find((s) => s.name === 'email')).toMatchObject({
      oldestAgeSeconds: 42,
      alarms: [
        { name: 'fanout-dev-email-age', state: 'ALARM' },
        { name: 'fanout-dev-email-dlq', state: 'OK' },
      ],
    });
    expect(status.find((s) => s.name === 'jobs')).toMatchObject({ oldestAgeSeconds: undefined, alarms: [] });
  });
});
