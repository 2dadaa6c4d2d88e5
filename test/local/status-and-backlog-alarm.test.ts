import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PublishBatchCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOperator } from '../../client/operator.ts';
import { subscriberStatus } from '../../client/status.ts';
import type { LocalCloud } from '../../local/index.ts';
import type { LocalRegistry, LocalStatusSnapshot } from '../../contracts/local-registry.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { DEAD_LETTER_RESERVE_BYTES, SQS_LIMITS } from '../../topology/sqs-limits.ts';
import type { Topology } from '../../topology/types.ts';
import { drain } from '../support/drain.ts';
import { startFixtureCloud } from '../support/fixture-app.ts';
import { waitFor } from '../support/local-cloud.ts';

/** The fixture topology with a backlog alarm low enough to trip with a handful of messages. */
const LOW_MAX_DEPTH = 5;
const SUBSCRIBER = 'analytics';
const topology = {
  ...fixtureTopology,
  topics: fixtureTopology.topics.map((topic) => ({
    ...topic,
    subscriptions: topic.subscriptions.map((s) =>
      s.name === SUBSCRIBER ? { ...s, alarms: { ...s.alarms, maxDepth: LOW_MAX_DEPTH } } : s,
    ),
  })),
} as Topology;
const QUEUE = `fanout-dev-${SUBSCRIBER}`;
const DEPTH_ALARM = `fanout-dev-${SUBSCRIBER}-depth`;

let dir: string;
let registryFile: string;
let cloud: LocalCloud;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fanout-status-'));
  registryFile = join(dir, 'local.json');
  cloud = await startFixtureCloud(topology, { registryFile });
}, 180_000);
afterAll(() => cloud?.stop());

const readSnapshot = () => JSON.parse(readFileSync(cloud.statusFile!, 'utf8')) as LocalStatusSnapshot;
/** Waits until the consumer has emptied the queue: nothing visible, in flight or delayed. */
const drained = () => drain(cloud.clients.sqs, cloud.outputs[OUTPUT_KEYS.queueUrl(SUBSCRIBER)]!, { until: 'empty' });
const poller = () => cloud.pollers.find((p) => p.config.queueUrl === cloud.outputs[OUTPUT_KEYS.queueUrl(SUBSCRIBER)])!;

async function buildBacklog(messages: number): Promise<void> {
  poller().pause();
  await waitFor(`${SUBSCRIBER} idle`, () => cloud.queueGauges(QUEUE)!.notVisible === 0);
  const entries = Array.from({ length: messages }, (_, i) => ({
    Id: `m${i}`,
    Message: JSON.stringify({ orderId: `backlog-${i}`, reason: 'load' }),
    MessageAttributes: {
      eventType: { DataType: 'String', StringValue: 'CartCancelled' },
      idempotencyKey: { DataType: 'String', StringValue: `backlog-${i}` },
    },
  }));
  for (let i = 0; i < entries.length; i += 10) {
    await cloud.clients.sns.send(
      new PublishBatchCommand({
        TopicArn: cloud.outputs[OUTPUT_KEYS.topicArn('orders')],
        PublishBatchRequestEntries: entries.slice(i, i + 10),
      }),
    );
  }
  await waitFor('backlog visible', () => cloud.queueGauges(QUEUE)!.visible >= messages);
}

describe('local status snapshot', () => {
  it('is recorded in the registry file next to it and rewritten atomically (no temporary file left)', () => {
    const registry = JSON.parse(readFileSync(registryFile, 'utf8')) as LocalRegistry;
    expect(registry.statusFile).toBe(join(dir, 'local.status.json'));
    expect(cloud.statusFile).toBe(registry.statusFile);
    expect(readdirSync(dir).sort()).toEqual(['local.json', 'local.status.json']);
  });

  it('holds every alarm with its current state and the age of oldest message of every queue', async () => {
    await buildBacklog(3);
    const queues = cloud.resources
      .ofType('AWS::SQS::Queue')
      .map((q) => String(q.attributes.QueueName))
      .sort();
    const aged = await waitFor('backlog aged a virtual minute in the snapshot', () => {
      const snapshot = readSnapshot();
      return (snapshot.oldestAgeSeconds[QUEUE] ?? 0) >= 60 && snapshot;
    });
    // Read together in one tick: a state change rewrites the snapshot before anything else runs.
    const snapshot = readSnapshot();
    const alarms = cloud.alarms();
    expect(snapshot.alarms).toEqual(alarms.map((a) => ({ name: a.alarmName, state: a.state })));
    const deployedAlarms = cloud.resources.ofType('AWS::CloudWatch::Alarm').map((r) => r.physicalId);
    expect(snapshot.alarms.map((a) => a.name).sort()).toEqual(deployedAlarms.sort());
    expect(deployedAlarms.length).toBeGreaterThan(20);
    expect(Object.keys(aged.oldestAgeSeconds).sort()).toEqual(queues);
    expect(aged.oldestAgeSeconds['fanout-dev-jobs']).toBe(0);
    expect(Date.parse(snapshot.sampledAt)).toBeGreaterThanOrEqual(Date.parse(aged.sampledAt));
  });

  it('gives `fanout status` (subscriberStatus through the registry file) real ages and alarm states', async () => {
    const ops = await connectOperator({ topology, source: { kind: 'local-registry', path: registryFile } });
    try {
      const status = await subscriberStatus(ops);
      const analytics = status.find((s) => s.name === SUBSCRIBER)!;
      expect(analytics.visible).toBe(3);
      expect(analytics.oldestAgeSeconds).toBeGreaterThanOrEqual(60);
      expect(analytics.alarms!.map((a) => a.name).sort()).toEqual(
        [
          DEPTH_ALARM,
          `fanout-dev-${SUBSCRIBER}-dropped`,
          `fanout-dev-${SUBSCRIBER}-errors`,
          `fanout-dev-${SUBSCRIBER}-failed-records`,
          `fanout-dev-${SUBSCRIBER}-sub-dlq`,
          `fanout-dev-${SUBSCRIBER}-throttles`,
        ].sort(),
      );
      const states = new Map(cloud.alarms().map((a) => [a.alarmName, a.state]));
      for (const s of status) {
        expect(s.oldestAgeSeconds, s.name).toEqual(expect.any(Number));
        expect(s.alarms!.length, s.name).toBeGreaterThan(0);
        for (const a of s.alarms!) expect(['OK', 'ALARM', 'INSUFFICIENT_DATA'], a.name).toContain(a.state);
        for (const a of s.alarms!) expect(states.has(a.name), a.name).toBe(true);
      }
      expect(status.find((s) => s.name === 'email')!.alarms!.map((a) => a.name)).toContain('fanout-dev-email-age');
    } finally {
      ops.close();
      poller().resume();
    }
  });
});

describe("the deployed queues' message size", () => {
  it('a queue with a DLQ refuses, at send time, a message whose dead-letter copy would have no room for its reason', async () => {
    const sqs = cloud.clients.sqs;
    const largest = SQS_LIMITS.messageBytesMax - DEAD_LETTER_RESERVE_BYTES;
    const send = (queue: string, bytes: number) =>
      sqs.send(
        new SendMessageCommand({
          QueueUrl: cloud.outputs[OUTPUT_KEYS.queueUrl(queue)]!,
          MessageBody: 'x'.repeat(bytes),
        }),
      );
    await expect(send('jobs', largest + 1)).rejects.toThrow(`Message must be shorter than ${largest} bytes`);
    // An at-most-once queue has no DLQ: it takes SQS's whole 1 MiB.
    await expect(send(SUBSCRIBER, SQS_LIMITS.messageBytesMax)).resolves.toHaveProperty('MessageId');
  });
});

describe('backlog-depth alarm end to end', () => {
  it('goes to ALARM when a paused consumer’s backlog reaches maxDepth, notifies ops-alarms, and returns to OK once drained', async () => {
    const { QueueUrl: watcher } = await cloud.clients.sqs.send(
      new CreateQueueCommand({ QueueName: 'ops-alarms-watcher' }),
    );
    const { Attributes } = await cloud.clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: watcher, AttributeNames: ['QueueArn'] }),
    );
    await cloud.clients.sns.send(
      new SubscribeCommand({
        TopicArn: cloud.outputs[OUTPUT_KEYS.topicArn('ops-alarms')],
        Protocol: 'sqs',
        Endpoint: Attributes!.QueueArn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    await drained();
    await waitFor(
      `${DEPTH_ALARM} OK before the backlog`,
      () => cloud.alarms().find((a) => a.alarmName === DEPTH_ALARM)!.state === 'OK',
    );
    const received: Record<string, unknown>[] = [];
    const notification = (state: string) =>
      waitFor(`${state} notification of ${DEPTH_ALARM}`, async () => {
        const { Messages = [] } = await cloud.clients.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: watcher, MaxNumberOfMessages: 10 }),
        );
        received.push(...Messages.map((m) => JSON.parse(m.Body!) as Record<string, unknown>));
        return received.find((b) => b.AlarmName === DEPTH_ALARM && b.NewStateValue === state);
      });

    await buildBacklog(LOW_MAX_DEPTH * 2);
    const alarm = await notification('ALARM');
    expect(alarm).toMatchObject({
      AlarmName: DEPTH_ALARM,
      OldStateValue: 'OK',
      AWSAccountId: '000000000000',
      Trigger: {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Statistic: 'MAXIMUM',
        Dimensions: [{ name: 'QueueName', value: QUEUE }],
        Period: 60,
        EvaluationPeriods: 3,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: LOW_MAX_DEPTH,
      },
    });
    const reason =
      /^Threshold Crossed: 3 out of the last 3 datapoints \[(.+)\] were greater than or equal to the threshold \(5\)\.$/.exec(
        String(alarm.NewStateReason),
      );
    expect(reason, String(alarm.NewStateReason)).not.toBeNull();
    expect(
      reason![1]!
        .split(', ')
        .map(Number)
        .every((depth) => depth >= LOW_MAX_DEPTH && depth <= LOW_MAX_DEPTH * 2),
    ).toBe(true);
    expect(readSnapshot().alarms.find((a) => a.name === DEPTH_ALARM)!.state).toBe('ALARM');

    poller().resume();
    const ok = await notification('OK');
    expect(ok).toMatchObject({ AlarmName: DEPTH_ALARM, OldStateValue: 'ALARM', NewStateValue: 'OK' });
    await drained();
    expect(readSnapshot().alarms.find((a) => a.name === DEPTH_ALARM)!.state).toBe('OK');
    expect(
      cloud
        .alarms()
        .find((a) => a.alarmName === DEPTH_ALARM)!
        .history.map((h) => h.newState)
        .slice(-2),
    ).toEqual(['ALARM', 'OK']);
  }, 60_000);

  it('removes the snapshot and the registry file on stop', async () => {
    const file = cloud.statusFile!;
    await cloud.stop();
    expect(existsSync(file)).toBe(false);
    expect(existsSync(registryFile)).toBe(false);
  });
});
