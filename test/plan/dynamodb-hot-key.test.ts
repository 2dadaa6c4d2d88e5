import { describe, expect, it } from 'vitest';
import { ratio } from '../../client/plan/plan.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { firstLimit, planAt, planInputFor, FIXTURE_MEASURED } from './support/plan-inputs.ts';

describe('plan: DynamoDB hot keys', () => {
  it('one ledger account receiving half the payments: 2 write units per payment on its key', () => {
    // All traffic on payments, half of it one account: ledger 1,000 msg/s × 2 WRU (a transaction
    // item) × 0.5 = 1,000 WRU/s on one partition: at the limit. The same account's FIFO group (500 msg/s)
    // is over its 300 msg/s first: a hot ledger key is always a hot group too.
    const input = planInputFor(fixtureTopology, {
      measured: FIXTURE_MEASURED,
      split: { shares: { payments: 1, orders: 0, jobs: 0 } },
      assumptions: { hotShare: 0.5 },
    });
    const plan = planAt(input, 1000);
    const hot = plan.checks.find((c) => c.scope === 'payments/ledger → ledger')!;
    expect(hot.limit).toBe('DynamoDB hot key: write units on one partition (the hottest key takes 50%)');
    expect([hot.used, hot.max, ratio(hot)]).toEqual([1000, 1000, 1]);
    expect(hot.fix).toBe(
      "spread 'ledger' over more keys (write sharding, or a finer key than 'accountId'), or aggregate per key before writing",
    );
    // audit-log is keyed by accountId too (1 WRU per payment): 500 WRU/s.
    expect(plan.checks.find((c) => c.scope === 'payments/audit → audit-log' && c.unit === 'WRU/s')!.used).toBe(500);
  });

  it("analytics' event-counts table, keyed by event type, is the first limit of order traffic at 3,000 msg/s", () => {
    // Orders only, even mix: analytics writes 1 WRU per message to the key of its event type, so the
    // hottest key takes 1/3 of R: R / 3 = 1,000 WRU/s at R = 3,000. Before that: nothing (inventory
    // needs R × 2/3 / 10 × 0.1 s = R / 150 concurrent, the account's 1,000 at R ≈ 56,600).
    const input = planInputFor(fixtureTopology, {
      measured: FIXTURE_MEASURED,
      split: { shares: { orders: 1, payments: 0, jobs: 0 } },
    });
    const first = firstLimit(input)!;
    expect(first.check.scope).toBe('orders/analytics → event-counts');
    expect(first.check.limit).toBe('DynamoDB hot key: write units on one partition (the hottest key takes 33.3%)');
    expect(first.rate).toBeCloseTo(3000, 3);
    // With 60% CartPlaced the hottest key takes 0.6 R: hit at 1,666.67 msg/s.
    const skewed = planInputFor(fixtureTopology, {
      measured: FIXTURE_MEASURED,
      split: { shares: { orders: 1, payments: 0, jobs: 0 }, mix: { CartPlaced: 0.6 } },
    });
    expect(firstLimit(skewed)!.rate).toBeCloseTo(1666.667, 2);
  });
});
