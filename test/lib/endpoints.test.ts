import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_ENDPOINTS, PREFIX, TOPICS, queueName, type ExpectedEndpoint } from './support/expected.ts';
import { synthesize } from './support/synth.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { findBy, findQueue, getAtt, ofType, ref, referencedId } from './support/template-helpers.ts';

let template: Template;
beforeAll(() => {
  template = synthesize('dev').template;
});

const topicId = (name: string) =>
  findBy(template, 'AWS::SNS::Topic', 'TopicName', TOPICS.find((t) => t.name === name)!.physicalName)[0];
const subscriptionOf = (e: ExpectedEndpoint) => {
  const [queueId] = findQueue(template, queueName(e));
  const subs = ofType(template, 'AWS::SNS::Subscription').filter(
    ([, r]) => referencedId(r.Properties.Endpoint) === queueId,
  );
  return subs;
};
const functionOf = (e: ExpectedEndpoint) =>
  findBy(template, 'AWS::Lambda::Function', 'FunctionName', `${PREFIX}-${e.name}`);
const mappingOf = (e: ExpectedEndpoint) => {
  const [functionId] = functionOf(e);
  const found = ofType(template, 'AWS::Lambda::EventSourceMapping').filter(
    ([, r]) => referencedId(r.Properties.FunctionName) === functionId,
  );
  expect(found).toHaveLength(1);
  return found[0]![1].Properties;
};

it('compiles one queue + consumer per endpoint of the fixture topology and nothing more', () => {
  expect(ofType(template, 'AWS::Lambda::Function')).toHaveLength(EXPECTED_ENDPOINTS.length);
  expect(ofType(template, 'AWS::Lambda::EventSourceMapping')).toHaveLength(EXPECTED_ENDPOINTS.length);
  expect(ofType(template, 'AWS::SNS::Subscription')).toHaveLength(EXPECTED_ENDPOINTS.filter((e) => e.topic).length);
  const withDlq = EXPECTED_ENDPOINTS.filter((e) => e.maxReceiveCount !== undefined).length;
  const withSubDlq = EXPECTED_ENDPOINTS.filter((e) => e.topic).length;
  expect(ofType(template, 'AWS::SQS::Queue')).toHaveLength(EXPECTED_ENDPOINTS.length + withDlq + withSubDlq);
});

describe.each(EXPECTED_ENDPOINTS.map((e) => [e.name, e] as const))('endpoint %s', (_name, e) => {
  it('has its queue redriving to its DLQ after maxReceiveCount receives (none for at-most-once)', () => {
    const [, queue] = findQueue(template, queueName(e));
    expect(queue.Properties.DelaySeconds).toBeUndefined();
    if (e.maxReceiveCount === undefined) {
      expect(queue.Properties.RedrivePolicy).toBeUndefined();
      expect(ofType(template, 'AWS::SQS::Queue').some(([, q]) => q.Properties.QueueName === queueName(e, '-dlq'))).toBe(
        false,
      );
      return;
    }
    const [dlqId, dlq] = findQueue(template, queueName(e, '-dlq'));
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: getAtt(dlqId, 'Arn'),
      maxReceiveCount: e.maxReceiveCount,
    });
    expect(dlq.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    expect(queue.Properties.MessageRetentionPeriod).toBe(4 * 24 * 3600);
    expect(Boolean(dlq.Properties.FifoQueue)).toBe(e.fifo);
  });

  it('has a visibility timeout of at least 6 × the function timeout', () => {
    const [, queue] = findQueue(template, queueName(e));
    const [, fn] = functionOf(e);
    expect(fn.Properties.Timeout).toBe(e.timeoutSeconds);
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * e.timeoutSeconds);
    expect(queue.Properties.VisibilityTimeout).toBe(6 * e.timeoutSeconds + (e.windowSeconds ?? 0));
  });

  it('has an event source mapping with its batch size, window, concurrency and partial batch failures', () => {
    const mapping = mappingOf(e);
    const [queueId] = findQueue(template, queueName(e));
    expect(mapping.EventSourceArn).toEqual(getAtt(queueId, 'Arn'));
    expect(mapping.BatchSize).toBe(e.batchSize);
    expect(mapping.MaximumBatchingWindowInSeconds).toBe(e.windowSeconds);
    expect(mapping.ScalingConfig).toEqual(
      e.maxConcurrency === undefined ? undefined : { MaximumConcurrency: e.maxConcurrency },
    );
    expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });
});

const subscribers = EXPECTED_ENDPOINTS.filter((e) => e.topic !== undefined);
describe.each(subscribers.map((e) => [e.name, e] as const))('subscription %s', (_name, e) => {
  it('is subscribed to its topic with its filter policy, raw delivery and own DLQ', () => {
    const subs = subscriptionOf(e);
    expect(subs).toHaveLength(1);
    const props = subs[0]![1].Properties;
    expect(props.TopicArn).toEqual(ref(topicId(e.topic!)));
    expect(props.Protocol).toBe('sqs');
    expect(props.FilterPolicy).toEqual(e.filterPolicy);
    expect(props.FilterPolicyScope).toBeUndefined();
    expect(props.RawMessageDelivery).toBe(e.raw);
    const topicFifo = TOPICS.find((t) => t.name === e.topic)!.fifo;
    const subDlqName = `${PREFIX}-${e.name}-sub-dlq${topicFifo ? '.fifo' : ''}`;
    const [subDlqId, subDlq] = findQueue(template, subDlqName);
    expect(props.RedrivePolicy).toEqual({ deadLetterTargetArn: getAtt(subDlqId, 'Arn') });
    expect(Boolean(subDlq.Properties.FifoQueue)).toBe(topicFifo);
  });

  it('lets only its topic send to its queue and its subscription DLQ', () => {
    const [queueId] = findQueue(template, queueName(e));
    const policies = ofType(template, 'AWS::SQS::QueuePolicy').filter(([, p]) =>
      p.Properties.Queues.some((q: unknown) => referencedId(q) === queueId),
    );
    expect(policies).toHaveLength(1);
    const send = policies[0]![1].Properties.PolicyDocument.Statement.filter((s: any) => s.Action === 'sqs:SendMessage');
    expect(send).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': ref(topicId(e.topic!)) } },
      }),
    ]);
  });
});

const workQueues = EXPECTED_ENDPOINTS.filter((e) => e.topic === undefined);
describe.each(workQueues.map((e) => [e.name, e] as const))('work queue %s', (_name, e) => {
  it('is a work queue: no subscription and no subscription DLQ', () => {
    expect(subscriptionOf(e)).toHaveLength(0);
    expect(
      ofType(template, 'AWS::SQS::Queue').some(([, q]) =>
        String(q.Properties.QueueName).startsWith(`${PREFIX}-${e.name}-sub-dlq`),
      ),
    ).toBe(false);
  });
});

it('uses a body-scoped filter policy when the topology asks for one', async () => {
  const topology = {
    ...fixtureTopology,
    topics: fixtureTopology.topics.map((t) =>
      t.name !== 'orders'
        ? t
        : {
            ...t,
            subscriptions: t.subscriptions.map((s) =>
              s.name === 'warehouse'
                ? {
                    ...s,
                    events: undefined,
                    filterPolicyScope: 'body' as const,
                    filterPolicy: { type: ['CartPlaced'], totalCents: [{ numeric: ['>=', 100] }] },
                  }
                : s,
            ),
          },
    ),
  };
  const body = synthesize('dev', { topology }).template;
  const [queueId] = findQueue(body, `${PREFIX}-warehouse`);
  const [, sub] = ofType(body, 'AWS::SNS::Subscription').find(
    ([, r]) => referencedId(r.Properties.Endpoint) === queueId,
  )!;
  expect(sub.Properties.FilterPolicyScope).toBe('MessageBody');
  expect(sub.Properties.FilterPolicy).toEqual({ type: ['CartPlaced'], totalCents: [{ numeric: ['>=', 100] }] });
});

it('applies producers and a delivery delay declared on a work queue', async () => {
  const producer = 'arn:aws:iam::123456789012:role/job-scheduler';
  const topology = {
    ...fixtureTopology,
    workQueues: fixtureTopology.workQueues.map((q) => ({ ...q, producers: [producer], deliveryDelaySeconds: 30 })),
  };
  const changed = synthesize('dev', { topology }).template;
  const [queueId, queue] = findQueue(changed, `${PREFIX}-jobs`);
  expect(queue.Properties.DelaySeconds).toBe(30);
  const statements = ofType(changed, 'AWS::SQS::QueuePolicy')
    .filter(([, p]) => p.Properties.Queues.some((q: unknown) => referencedId(q) === queueId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
  expect(statements).toContainEqual(
    expect.objectContaining({
      Effect: 'Allow',
      Principal: { AWS: producer },
      Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
    }),
  );
});
