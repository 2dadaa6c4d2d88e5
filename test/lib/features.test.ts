import { beforeAll, describe, expect, it } from 'vitest';
import type { Template } from 'aws-cdk-lib/assertions';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import type { Topology } from '../../topology/types.ts';
import { PREFIX } from './support/expected.ts';
import { synthesize } from './support/synth.ts';
import { findBy, findQueue, ofType, referencedId } from './support/template-helpers.ts';

/** The 2025–26 options: what the fixture and an example topology compile to. */
let reference: Template;
let example: Template;

/** Spiky work on provisioned pollers, a topic as large as its queues take, a FIFO work queue in high-throughput mode. */
const exampleTopology: Topology = {
  ...fixtureTopology,
  topics: fixtureTopology.topics.map((t) => (t.name === 'orders' ? { ...t, maxMessageSizeBytes: 1_047_552 } : t)),
  workQueues: [
    {
      ...fixtureTopology.workQueues[0],
      consumer: {
        handler: 'jobs',
        timeoutSeconds: 60,
        pollers: { min: 2, max: 20 },
        eventCountMetrics: false,
        tables: ['job-results'],
      },
    },
    {
      name: 'settlements',
      fifo: true,
      highThroughput: true,
      events: ['FundsCaptured'],
      consumer: { handler: 'ledger', tables: ['ledger'] },
    },
  ],
};

beforeAll(() => {
  reference = synthesize('dev').template;
  example = synthesize('dev', { topology: exampleTopology }).template;
});

const mappingOf = (template: Template, queueName: string) => {
  const [queueId] = findQueue(template, queueName);
  const found = ofType(template, 'AWS::Lambda::EventSourceMapping').filter(
    ([, m]) => referencedId(m.Properties.EventSourceArn) === queueId,
  );
  expect(found).toHaveLength(1);
  return found[0]![1].Properties;
};

describe('payload limits', () => {
  it('sets MaximumMessageSize on every queue and every topic (256 KiB unless raised)', () => {
    const queues = ofType(reference, 'AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThan(10);
    const sizes = new Map(queues.map(([, q]) => [q.Properties.QueueName, q.Properties.MaximumMessageSize]));
    for (const [name, size] of sizes) {
      // A DLQ takes SQS's whole 1 MiB; a queue feeding one keeps 1 KiB free for the dead-letter reason.
      const deadLetterQueue = /-(sub-)?dlq(\.fifo)?$/.test(name);
      const feedsDeadLetterQueue = !deadLetterQueue && name !== `${PREFIX}-analytics`;
      expect([name, size]).toEqual([name, feedsDeadLetterQueue ? 1_047_552 : 1_048_576]);
    }
    expect(sizes.get(`${PREFIX}-analytics`)).toBe(1_048_576);
    const topics = ofType(reference, 'AWS::SNS::Topic');
    expect(topics.map(([, t]) => t.Properties.MaximumMessageSize)).toEqual(topics.map(() => 262_144));
    expect(findBy(example, 'AWS::SNS::Topic', 'TopicName', `${PREFIX}-orders`)[1].Properties.MaximumMessageSize).toBe(
      1_047_552,
    );
  });
});

describe('FIFO high throughput', () => {
  it('scopes the payments topic throughput and its subscriber queues (and their DLQs) per message group', () => {
    expect(
      findBy(reference, 'AWS::SNS::Topic', 'TopicName', `${PREFIX}-payments.fifo`)[1].Properties.FifoThroughputScope,
    ).toBe('MessageGroup');
    for (const name of ['ledger', 'ledger-dlq', 'ledger-sub-dlq', 'audit', 'audit-dlq']) {
      const queue = findQueue(reference, `${PREFIX}-${name}.fifo`)[1].Properties;
      expect([name, queue.DeduplicationScope, queue.FifoThroughputLimit]).toEqual([
        name,
        'messageGroup',
        'perMessageGroupId',
      ]);
    }
    expect(
      findBy(reference, 'AWS::SNS::Topic', 'TopicName', `${PREFIX}-orders`)[1].Properties.FifoThroughputScope,
    ).toBeUndefined();
  });

  it('applies to a FIFO work queue that asks for it', () => {
    const queue = findQueue(example, `${PREFIX}-settlements.fifo`)[1].Properties;
    expect([queue.DeduplicationScope, queue.FifoThroughputLimit]).toEqual(['messageGroup', 'perMessageGroupId']);
  });
});

describe('event source mappings', () => {
  it('filters analytics at the event source with the topology pattern', () => {
    const mapping = mappingOf(reference, `${PREFIX}-analytics`);
    expect(mapping.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern))).toEqual([
      { messageAttributes: { eventType: { stringValue: [{ prefix: 'Cart' }] } } },
    ]);
    expect(mappingOf(reference, `${PREFIX}-inventory`).FilterCriteria).toBeUndefined();
  });

  it('publishes event counts by default, and not when switched off', () => {
    expect(mappingOf(reference, `${PREFIX}-ledger.fifo`).MetricsConfig).toEqual({ Metrics: ['EventCount'] });
    expect(mappingOf(example, `${PREFIX}-jobs`).MetricsConfig).toBeUndefined();
  });

  it('runs provisioned pollers when asked, without a maximum concurrency', () => {
    const mapping = mappingOf(example, `${PREFIX}-jobs`);
    expect(mapping.ProvisionedPollerConfig).toEqual({ MinimumPollers: 2, MaximumPollers: 20 });
    expect(mapping.ScalingConfig).toBeUndefined();
    expect(mappingOf(reference, `${PREFIX}-jobs`).ProvisionedPollerConfig).toBeUndefined();
  });
});

describe('fair queues', () => {
  it('alarms on the age of the quiet tenants of jobs (fair by tenantId), and of no other queue', () => {
    const quiet = ofType(reference, 'AWS::CloudWatch::Alarm').filter(
      ([, a]) => a.Properties.MetricName === 'ApproximateAgeOfOldestMessageInQuietGroups',
    );
    expect(quiet.map(([, a]) => [a.Properties.AlarmName, a.Properties.Threshold, a.Properties.Namespace])).toEqual([
      [`${PREFIX}-jobs-quiet-age`, 900, 'AWS/SQS'],
    ]);
  });
});

describe('replay policy', () => {
  it('is never part of the stack: subscriptions carry no ReplayPolicy, so cdk deploy never changes one the CLI set', () => {
    const subscriptions = ofType(reference, 'AWS::SNS::Subscription');
    expect(subscriptions.length).toBe(6);
    expect(subscriptions.filter(([, s]) => 'ReplayPolicy' in s.Properties)).toEqual([]);
  });
});
