import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { Topology } from '../../topology/types.ts';
import { firstLimit, planAt, planInputFor } from './support/plan-inputs.ts';

const topology = (kmsDataKeyReuseSeconds?: number): Topology => ({
  name: 'shop',
  events: { Placed: { schema: v.object({ id: v.string() }) } },
  topics: [
    {
      name: 'orders',
      events: ['Placed'],
      subscriptions: [
        {
          name: 'billing',
          consumer: { handler: 'warehouse' },
          ...(kmsDataKeyReuseSeconds ? { kmsDataKeyReuseSeconds } : {}),
        },
      ],
    },
  ],
});

const kmsOf = (plan: ReturnType<typeof planAt>) => plan.endpoints[0]!.lines.find((l) => l.service === 'KMS')!.perSecond;

describe('plan: KMS data key reuse', () => {
  it('the default (no KmsDataKeyReusePeriodSeconds in the template: 300 s) keeps KMS to 7 calls per queue per 5 minutes', () => {
    const input = planInputFor(topology());
    expect(input.facts.queues.get('shop-dev-billing')).toMatchObject({
      dataKeyReuseSeconds: 300,
      dataKeyReuseSet: false,
    });
    // SQS's formula: (2 × 1 producer (SNS) + 5 receiving pollers) per reuse period, whatever the rate up
    // to 5 concurrent invocations (100 msg/s: 1 concurrent).
    expect(kmsOf(planAt(input, 100)) * 300).toBeCloseTo(7, 9);
    expect(kmsOf(planAt(input, 500)) * 300).toBeCloseTo(7, 9);
    // 10,000 msg/s: 1,000 invocations/s × 0.1 s = 100 concurrent pollers → (2 + 100) per 300 s.
    expect(kmsOf(planAt(input, 10_000)) * 300).toBeCloseTo(102, 9);
  });

  it('a 60 s reuse period compiles onto the queue and makes KMS 5× busier', () => {
    const input = planInputFor(topology(60));
    expect(input.facts.queues.get('shop-dev-billing')).toMatchObject({
      dataKeyReuseSeconds: 60,
      dataKeyReuseSet: true,
    });
    expect(kmsOf(planAt(input, 100)) * 60).toBeCloseTo(7, 9);
  });

  it('with the shared quota nearly used, a short reuse period makes KMS the first limit', () => {
    // us-east-1: 50,000 req/s, of which other workloads use 49,998.97 (--kms-used): 1.03 req/s left.
    // Topic 2/300 = 0.00667 req/s; queue (2 + pollers) / reuse. 60 s: 2 + pollers ≥ 61.4 → 60 pollers →
    // concurrency R/100 > 59 → R = 5,900. 300 s: 305 pollers → R = 30,400, but SNS Publish's 30,000
    // msg/s (us-east-1) comes first.
    const kmsUsedPerSecond = 50_000 - 1.03;
    const short = firstLimit(planInputFor(topology(60), { assumptions: { kmsUsedPerSecond } }))!;
    expect(short.check.limit).toBe('KMS symmetric requests, per account and region (49998.97/s used elsewhere)');
    expect(short.rate).toBeCloseTo(5900, 3);
    expect(short.check.fix).toBe(
      "raise kmsDataKeyReuseSeconds of 'billing' (now 60 s, up to 86400), or request a KMS quota increase",
    );
    const long = firstLimit(planInputFor(topology(), { assumptions: { kmsUsedPerSecond } }))!;
    expect(long.check.limit).toBe('SNS Publish (standard topics), per account and region');
    expect(long.rate).toBeCloseTo(30_000, 3);
  });
});
