import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ratio } from '../../client/plan/plan.ts';
import type { Topology } from '../../topology/types.ts';
import { firstLimit, planAt, planInputFor } from './support/plan-inputs.ts';

/** A high-throughput FIFO topic grouped by account, one FIFO subscriber; half the traffic is one account's. */
const topology: Topology = {
  name: 'bank',
  events: { Captured: { schema: v.object({ accountId: v.string() }), groupBy: 'accountId' } },
  topics: [
    {
      name: 'payments',
      fifo: true,
      highThroughput: true,
      events: ['Captured'],
      subscriptions: [{ name: 'ledger', consumer: { handler: 'ledger' } }],
    },
  ],
};

describe('plan: a FIFO topic whose hottest group exceeds the per-group limit', () => {
  const input = planInputFor(topology, { assumptions: { hotShare: 0.5 } });

  it('names the group limits exceeded at 1,000 msg/s and suggests a finer groupBy', () => {
    // Hottest group: 1,000 × 0.5 = 500 msg/s > 300 msg/s per group (SNS and SQS), and > 10 records per
    // 0.1 s = 100 msg/s that one group can be processed in order. The topic itself (30,000 msg/s) is fine.
    const plan = planAt(input, 1000);
    const exceeded = plan.checks.filter((c) => ratio(c) >= 1);
    expect(exceeded.map((c) => [c.limit, c.scope, c.used, c.max])).toEqual([
      ['SNS FIFO message group throughput (hottest group)', 'payments', 500, 300],
      ['SQS FIFO message group throughput (hottest group)', 'payments/ledger', 500, 300],
      [
        'FIFO group processed in order: one batch of a group at a time (batch size / invocation time)',
        'payments/ledger',
        500,
        100,
      ],
    ]);
    expect(exceeded[0]!.fix).toBe(
      "use a finer groupBy than 'accountId' for Captured (the hottest group takes 50% of 'payments')",
    );
    const topic = plan.checks.find((c) => c.limit === 'SNS FIFO topic throughput (high-throughput mode)')!;
    expect([topic.used, topic.max]).toEqual([1000, 30_000]);
  });

  it('finds the in-order limit first, at 200 msg/s (0.5 × R = 100)', () => {
    const first = firstLimit(input)!;
    expect(first.check.limit).toMatch(/^FIFO group processed in order/);
    expect(first.rate).toBeCloseTo(200, 3);
    expect(first.check.fix).toBe("use a finer groupBy than 'accountId', or make the handler of 'ledger' faster");
  });

  it('without high-throughput mode: 300 publish calls/s per topic, 300 SNS deliveries/s per queue', () => {
    const plain = planInputFor(
      { ...topology, topics: [{ ...topology.topics[0]!, highThroughput: false }] },
      { assumptions: { hotShare: 0.01, invocationMs: 10 } },
    );
    // 5 ms linger: 10,000 msg/s fills batches of 10 → 1,000 calls/s > 300; at 3,000 msg/s: 300 calls/s.
    const plan = planAt(plain, 10_000);
    const topic = plan.checks.find((c) => c.limit === 'SNS FIFO topic publish calls (no high-throughput mode)')!;
    expect(topic.used).toBeCloseTo(1000, 6);
    expect(topic.fix).toBe("set highThroughput: true on topic 'payments' (throughput per message group)");
    // SNS delivers one message per SendMessage: the queue's 300 calls/s are reached first, at 300 msg/s.
    const first = firstLimit(plain)!;
    expect(first.check.limit).toBe('SQS FIFO queue sends (no high-throughput, one message per SNS delivery)');
    expect(first.rate).toBeCloseTo(300, 3);
    expect(first.check.fix).toBe("set highThroughput: true on topic 'payments'");
  });
});
