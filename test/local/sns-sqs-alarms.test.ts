import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.ts';
import { fanoutFixture } from './fixtures/fixture-app.ts';
import { drain } from '../support/drain.ts';
import { physicalId, startFixture, waitFor } from '../support/local-cloud.ts';

/** A 60 s CloudWatch period and the 30–120 s queue timers of the fixture take 1–2 s. */
const TIME_SCALE = 60;
let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startFixture('SnsFixture', fanoutFixture, { timeScale: TIME_SCALE });
});
afterAll(() => cloud?.stop());

const queue = (prefix: string) => physicalId(cloud, prefix, 'AWS::SQS::Queue');
const topic = (prefix: string) => physicalId(cloud, prefix, 'AWS::SNS::Topic');
const publish = (eventType: string, body: object) =>
  cloud.clients.sns.send(
    new PublishCommand({
      TopicArn: topic('Events'),
      Message: JSON.stringify(body),
      MessageAttributes: { eventType: { DataType: 'String', StringValue: eventType } },
    }),
  );

describe('SNS → SQS', () => {
  it('applies filter policies: each subscriber gets exactly its events', async () => {
    await publish('placed', { n: 1 });
    await publish('shipped', { n: 2 });
    await publish('placed', { n: 3 });
    // A last 'placed' marks the end: once it is in, a 'shipped' let through would be in too.
    await publish('placed', { n: 4 });
    const placed = await drain(cloud.clients.sqs, queue('PlacedQueue'), { until: 3, delete: false });
    const everything = await drain(cloud.clients.sqs, queue('EverythingQueue'), { until: 4, delete: false });
    expect(placed.map((m) => (JSON.parse(JSON.parse(m.Body!).Message) as { n: number }).n).sort()).toEqual([1, 3, 4]);
    expect(everything.map((m) => (JSON.parse(m.Body!) as { n: number }).n).sort()).toEqual([1, 2, 3, 4]);
  });

  it('wraps messages in the SNS envelope unless raw delivery is on', async () => {
    await publish('placed', { n: 4 });
    const [enveloped] = await drain(cloud.clients.sqs, queue('PlacedQueue'), { until: 1, delete: false });
    const [raw] = await drain(cloud.clients.sqs, queue('EverythingQueue'), { until: 1, delete: false });
    expect(JSON.parse(enveloped!.Body!)).toMatchObject({
      Type: 'Notification',
      TopicArn: topic('Events'),
      Message: '{"n":4}',
      MessageAttributes: { eventType: { Type: 'String', Value: 'placed' } },
    });
    expect(raw!.Body).toBe('{"n":4}');
    expect(raw!.MessageAttributes?.eventType?.StringValue).toBe('placed');
  });

  it('deduplicates and keeps group order on a FIFO topic', async () => {
    const send = (group: string, seq: number) =>
      cloud.clients.sns.send(
        new PublishCommand({
          TopicArn: topic('Payments'),
          MessageGroupId: group,
          Message: JSON.stringify({ group, seq }),
        }),
      );
    for (let seq = 0; seq < 4; seq++) for (const group of ['a', 'b']) await send(group, seq);
    await send('a', 0); // same content: dropped by content-based deduplication
    await send('a', 4); // group a's last: once it is in, a copy let through would be before it
    const received: Message[] = [];
    const seqsOf = (group: string) =>
      received
        .filter((m) => m.Attributes?.MessageGroupId === group)
        .map((m) => (JSON.parse(m.Body!) as { seq: number }).seq);
    await waitFor("group a's last message and group b's four", async () => {
      const { Messages = [] } = await cloud.clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queue('LedgerQueue'),
          MaxNumberOfMessages: 10,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      received.push(...Messages);
      for (const m of Messages)
        await cloud.clients.sqs.send(
          new DeleteMessageCommand({ QueueUrl: queue('LedgerQueue'), ReceiptHandle: m.ReceiptHandle }),
        );
      return seqsOf('a').includes(4) && seqsOf('b').length >= 4;
    });
    expect(seqsOf('a')).toEqual([0, 1, 2, 3, 4]);
    expect(seqsOf('b')).toEqual([0, 1, 2, 3]);
  });

  it('honours queue delays and visibility timeouts (scaled)', async () => {
    const url = queue('DelayedQueue');
    await cloud.clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later' }));
    const early = await cloud.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0 }));
    expect(early.Messages ?? []).toEqual([]);
    const [first] = await drain(cloud.clients.sqs, url, { until: 1, delete: false });
    expect(first!.Attributes?.ApproximateReceiveCount).toBe('1');
    const hidden = await cloud.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0 }));
    expect(hidden.Messages ?? []).toEqual([]);
    const [again] = await drain(cloud.clients.sqs, url, { until: 1, delete: false });
    expect(again!.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('creates the stack’s buckets', async () => {
    await expect(
      cloud.clients.s3.send(new HeadBucketCommand({ Bucket: physicalId(cloud, 'Payloads', 'AWS::S3::Bucket') })),
    ).resolves.toBeDefined();
  });
});

describe('CloudWatch alarms', () => {
  it('goes to ALARM when the DLQ fills and back to OK when it is emptied, publishing the alarm message each time', async () => {
    const { QueueUrl: watcher } = await cloud.clients.sqs.send(new CreateQueueCommand({ QueueName: 'alarm-watcher' }));
    await cloud.clients.sns.send(
      new SubscribeCommand({
        TopicArn: topic('Alarms'),
        Protocol: 'sqs',
        Endpoint: 'arn:aws:sqs:us-east-1:000000000000:alarm-watcher',
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    await cloud.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: queue('WorkQueue'), MessageBody: JSON.stringify({ mode: 'throw' }) }),
    );
    const notifications = async (state: string) =>
      waitFor(
        `${state} notification`,
        async () => {
          const { Messages = [] } = await cloud.clients.sqs.send(
            new ReceiveMessageCommand({ QueueUrl: watcher, MaxNumberOfMessages: 10 }),
          );
          const bodies = Messages.map((m) => JSON.parse(m.Body!) as Record<string, unknown>);
          return bodies.find((b) => b.NewStateValue === state);
        },
        30_000,
      );
    const alarm = await notifications('ALARM');
    const dlqName = queue('WorkDlq').split('/').pop();
    expect(alarm).toMatchObject({
      AlarmName: cloud.alarms()[0]!.alarmName,
      AWSAccountId: '000000000000',
      Region: 'US East (N. Virginia)',
      Trigger: {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Statistic: 'MAXIMUM',
        Dimensions: [{ name: 'QueueName', value: dlqName }],
        Period: 60,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        TreatMissingData: 'notBreaching',
      },
    });
    expect(alarm.OldStateValue).toMatch(/^(OK|INSUFFICIENT_DATA)$/);
    expect(String(alarm.NewStateReason)).toContain('Threshold Crossed: 1 out of the last 1 datapoints');
    await cloud.clients.sqs.send(new PurgeQueueCommand({ QueueUrl: queue('WorkDlq') }));
    const ok = await notifications('OK');
    expect(ok.OldStateValue).toBe('ALARM');
    expect(cloud.alarms()[0]!.history.map((h) => h.newState)).toContain('ALARM');
  });
});
