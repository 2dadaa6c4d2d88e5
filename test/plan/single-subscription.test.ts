import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { Topology } from '../../topology/types.ts';
import { planAt, planInputFor } from './support/plan-inputs.ts';

/** One standard topic, one at-least-once subscriber with every default (batch 10, 256 MB arm64). */
const topology: Topology = {
  name: 'shop',
  events: { Placed: { schema: v.object({ id: v.string() }) } },
  topics: [
    { name: 'orders', events: ['Placed'], subscriptions: [{ name: 'billing', consumer: { handler: 'warehouse' } }] },
  ],
};

describe('plan: a single standard subscription at 100 msg/s (us-east-1, nothing measured)', () => {
  const input = planInputFor(topology);
  const plan = planAt(input, 100);
  const perSecond = (owner: string, api: string) =>
    [...plan.destinations.flatMap((d) => d.lines), ...plan.endpoints.flatMap((e) => e.lines)].find(
      (l) => l.owner === owner && l.api === api,
    )?.perSecond;

  it('counts every request by hand', () => {
    // Publisher: 100 msg/s × 5 ms linger = 0.5 messages per batch → batches of 1: 100 PublishBatch/s.
    expect(perSecond('orders', 'PublishBatch')).toBeCloseTo(100, 9);
    // SNS delivers each message with one SendMessage (1 KB < one 64 KB chunk).
    expect(perSecond('orders/billing', 'SendMessage (SNS delivery)')).toBeCloseTo(100, 9);
    // 5 pollers gather 100 msg/s × 1 s / 5 = 20 ≥ batch size 10: full batches, 10 invocations/s,
    // 10 receives/s (10 per receive), 10 DeleteMessageBatch/s, no empty receives (batches full).
    const m = plan.endpoints[0]!.model;
    expect(m.recordsPerInvocation).toBe(10);
    expect(perSecond('orders/billing', 'Invoke')).toBeCloseTo(10, 9);
    expect(perSecond('orders/billing', 'ReceiveMessage (event source)')).toBeCloseTo(10, 9);
    expect(perSecond('orders/billing', 'ReceiveMessage, empty')).toBe(0);
    expect(perSecond('orders/billing', 'DeleteMessageBatch (event source)')).toBeCloseTo(10, 9);
    // 10 invocations/s × 0.1 s × 0.25 GB = 0.25 GB-s per second; concurrency 10 × 0.1 = 1.
    expect(perSecond('orders/billing', 'duration (GB-s, 256 MB arm64)')).toBeCloseTo(0.25, 9);
    expect(m.concurrency).toBeCloseTo(1, 9);
    // Not measured: at-least-once modelled as one write unit per message.
    expect(perSecond('orders/billing', 'write units')).toBeCloseTo(100, 9);
    // KMS: queue (2 × 1 producer + 5 receiving pollers) / 300 s; topic 2 / 300 s.
    expect(perSecond('orders/billing', 'GenerateDataKey + Decrypt (queue)')).toBeCloseTo(7 / 300, 9);
    expect(perSecond('orders', 'GenerateDataKey (topic)')).toBeCloseTo(2 / 300, 9);
  });

  it('prices them: $1.66 per million messages, $436.05 a month before fixed costs', () => {
    // $ per second:
    //   SNS publish      100 × 0.50e-6                         = 5.0e-5
    //   SQS              (100 + 10 + 10) × 0.40e-6              = 4.8e-5
    //   Lambda requests  10 × 0.20e-6                           = 2.0e-6
    //   Lambda duration  0.25 × 0.0000133334                    = 3.33335e-6
    //   DynamoDB         100 × 0.625e-6                         = 6.25e-5
    //   KMS              (7 + 2) / 300 × 0.03 / 10,000          = 9.0e-8
    //   total                                                   = 1.6592335e-4
    // per million: 1.6592335e-4 / 100 × 1e6 = 1.6592335; per month × 2,628,000 s = 436.0466
    expect(plan.perMillionMessages).toBeCloseTo(1.6592335, 6);
    expect(plan.variablePerSecond * 2_628_000).toBeCloseTo(436.0466, 3);
  });

  it('adds the fixed monthly costs read from the template', () => {
    const fixed = Object.fromEntries(plan.fixed.map((f) => [f.item.split(' (')[0], f]));
    // Keys: orders topic, ops-alarms topic, the endpoint's queues, the tables, the payload bucket.
    expect(fixed['KMS customer managed keys']).toMatchObject({
      count: input.facts.kmsKeys,
      monthly: input.facts.kmsKeys,
    });
    expect(fixed['CloudWatch dashboards']).toMatchObject({ count: 1, monthly: 3 });
    // Alarms: depth, age, DLQ, subscription DLQ, Lambda errors and throttles, and the runtime's
    // failed-records and dead-lettered alarms: 8 single-metric alarms × $0.10.
    expect(fixed['CloudWatch alarms']).toMatchObject({ count: 8, monthly: 0.8 });
    expect(fixed['CloudWatch alarms']!.item).toBe('CloudWatch alarms (8 alarms, metrics watched)');
    // Custom metrics: 10 consumer metrics + 5 event source EventCount metrics = 15 × $0.30.
    expect(fixed['CloudWatch custom metrics']).toMatchObject({ count: 15, monthly: 4.5 });
    expect(plan.monthly).toBeCloseTo(436.0466 + plan.fixed.reduce((s, f) => s + f.monthly, 0), 3);
  });
});
