import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_ENDPOINTS, PREFIX, queueName, type ExpectedEndpoint } from './support/expected.ts';
import { synthesize } from './support/synth.ts';
import { findBy, findQueue, ofType, ref, type CfnResource } from './support/template-helpers.ts';

let template: Template;
beforeAll(() => {
  template = synthesize('dev').template;
});

const alarm = (name: string): CfnResource | undefined =>
  ofType(template, 'AWS::CloudWatch::Alarm').find(([, a]) => a.Properties.AlarmName === name)?.[1];
const queueDimension = (name: string) => [
  { Name: 'QueueName', Value: { 'Fn::GetAtt': [findQueue(template, name)[0], 'QueueName'] } },
];
const functionDimension = (e: ExpectedEndpoint) => [
  {
    Name: 'FunctionName',
    Value: ref(findBy(template, 'AWS::Lambda::Function', 'FunctionName', `${PREFIX}-${e.name}`)[0]),
  },
];

function expectAlarm(
  name: string,
  metric: { namespace: string; metricName: string; statistic: string; dimensions: unknown },
  threshold: number,
  evaluationPeriods: number,
) {
  const a = alarm(name);
  expect(a, `alarm ${name}`).toBeDefined();
  expect(a!.Properties).toMatchObject({
    Namespace: metric.namespace,
    MetricName: metric.metricName,
    Statistic: metric.statistic,
    Dimensions: metric.dimensions,
    Period: 60,
    Threshold: threshold,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    EvaluationPeriods: evaluationPeriods,
    TreatMissingData: 'notBreaching',
  });
}

it('sends every alarm and OK notification to the ops-alarms topic, and only there', () => {
  const alarmTopic = ref(findBy(template, 'AWS::SNS::Topic', 'TopicName', `${PREFIX}-ops-alarms`)[0]);
  const alarms = ofType(template, 'AWS::CloudWatch::Alarm');
  expect(alarms.length).toBeGreaterThan(0);
  for (const [, a] of alarms) {
    expect(a.Properties.AlarmActions).toEqual([alarmTopic]);
    expect(a.Properties.OKActions).toEqual([alarmTopic]);
  }
});

it('creates exactly the alarms the thresholds ask for', () => {
  const expected = EXPECTED_ENDPOINTS.flatMap((e) => [
    ...(e.alarms.depth === false ? [] : [`${e.name}-depth`]),
    ...(e.alarms.age === false ? [] : [`${e.name}-age`]),
    ...(e.fair && e.alarms.age !== false ? [`${e.name}-quiet-age`] : []),
    ...(e.maxReceiveCount === undefined ? [] : [`${e.name}-dlq`]),
    ...(e.topic === undefined ? [] : [`${e.name}-sub-dlq`]),
    `${e.name}-errors`,
    `${e.name}-throttles`,
    ...(e.alarms.drain === false ? [] : [`${e.name}-time-to-drain`]),
    `${e.name}-failed-records`,
    ...(e.delivery === 'at-most-once' ? [`${e.name}-dropped`] : [`${e.name}-dead-lettered`]),
  ]).map((n) => `${PREFIX}-${n}`);
  const actual = ofType(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties.AlarmName);
  expect(actual.sort()).toEqual(expected.sort());
});

describe.each(EXPECTED_ENDPOINTS.map((e) => [e.name, e] as const))('alarms of %s', (name, e) => {
  const sqs = (metricName: string, statistic: string, queue: string) => ({
    namespace: 'AWS/SQS',
    metricName,
    statistic,
    dimensions: queueDimension(queue),
  });

  it('watches queue depth and message age against its thresholds', () => {
    if (e.alarms.depth !== false) {
      expectAlarm(
        `${PREFIX}-${name}-depth`,
        sqs('ApproximateNumberOfMessagesVisible', 'Maximum', queueName(e)),
        e.alarms.depth,
        3,
      );
    } else expect(alarm(`${PREFIX}-${name}-depth`)).toBeUndefined();
    if (e.alarms.age !== false) {
      expectAlarm(
        `${PREFIX}-${name}-age`,
        sqs('ApproximateAgeOfOldestMessage', 'Maximum', queueName(e)),
        e.alarms.age,
        3,
      );
    } else expect(alarm(`${PREFIX}-${name}-age`)).toBeUndefined();
  });

  it('alarms on the first message in its DLQ and in its subscription DLQ', () => {
    if (e.maxReceiveCount !== undefined) {
      expectAlarm(
        `${PREFIX}-${name}-dlq`,
        sqs('ApproximateNumberOfMessagesVisible', 'Maximum', queueName(e, '-dlq')),
        1,
        1,
      );
    }
    if (e.topic !== undefined) {
      const subDlq = `${PREFIX}-${name}-sub-dlq${e.topic === 'payments' ? '.fifo' : ''}`;
      expectAlarm(`${PREFIX}-${name}-sub-dlq`, sqs('ApproximateNumberOfMessagesVisible', 'Maximum', subDlq), 1, 1);
    }
  });

  it('watches consumer errors and throttles (sum per minute)', () => {
    const lambda = (metricName: string) => ({
      namespace: 'AWS/Lambda',
      metricName,
      statistic: 'Sum',
      dimensions: functionDimension(e),
    });
    expectAlarm(`${PREFIX}-${name}-errors`, lambda('Errors'), e.alarms.errors, 1);
    expectAlarm(`${PREFIX}-${name}-throttles`, lambda('Throttles'), e.alarms.throttles, 1);
  });

  it("watches the runtime's own outcome metrics: failed records, and dead-lettered or dropped ones", () => {
    // Lambda's Errors stays 0 while the runtime reports every record failed: these alarms see it.
    const runtime = (metricName: string) => ({
      namespace: 'Fanout',
      metricName,
      statistic: 'Sum',
      dimensions: [{ Name: 'Consumer', Value: name }],
    });
    expectAlarm(`${PREFIX}-${name}-failed-records`, runtime('Failed'), 10, 1);
    if (e.delivery === 'at-most-once') {
      expectAlarm(`${PREFIX}-${name}-dropped`, runtime('Dropped'), 10, 1);
      expect(alarm(`${PREFIX}-${name}-dead-lettered`)).toBeUndefined();
    } else {
      expectAlarm(`${PREFIX}-${name}-dead-lettered`, runtime('DeadLettered'), 1, 1);
      expect(alarm(`${PREFIX}-${name}-dropped`)).toBeUndefined();
    }
  });

  it('has a time-to-drain alarm (metric math: visible / deleted per second) only when asked', () => {
    const a = alarm(`${PREFIX}-${name}-time-to-drain`);
    if (e.alarms.drain === false) return expect(a).toBeUndefined();
    expect(a!.Properties.Threshold).toBe(e.alarms.drain);
    const metrics = a!.Properties.Metrics as Record<string, any>[];
    expect(metrics.find((m) => m.ReturnData !== false)).toMatchObject({ Expression: 'visible / (deleted / 60)' });
    const byId = Object.fromEntries(metrics.map((m) => [m.Id, m]));
    expect(byId.visible.MetricStat).toEqual({
      Metric: {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: queueDimension(queueName(e)),
      },
      Period: 60,
      Stat: 'Maximum',
    });
    expect(byId.deleted.MetricStat).toEqual({
      Metric: { Namespace: 'AWS/SQS', MetricName: 'NumberOfMessagesDeleted', Dimensions: queueDimension(queueName(e)) },
      Period: 60,
      Stat: 'Sum',
    });
  });
});
