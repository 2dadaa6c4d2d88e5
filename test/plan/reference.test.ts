import { describe, expect, it } from 'vitest';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { firstLimit, planAt, planInputFor, FIXTURE_MEASURED } from './support/plan-inputs.ts';

/**
 * The fixture stack (prod) at 1,000 msg/s in us-east-1, split evenly over orders, payments and jobs
 * (333.33 msg/s each) and evenly over each one's event types, with the fixture's measured calls.
 */
describe('plan: the fixture stack at 1,000 msg/s (prod)', () => {
  const input = planInputFor(fixtureTopology, { stage: 'prod', measured: FIXTURE_MEASURED });
  const plan = planAt(input, 1000);
  const sum = (pick: (l: { service: string; billing: string; perSecond: number }) => boolean) =>
    [...plan.destinations.flatMap((d) => d.lines), ...plan.endpoints.flatMap((e) => e.lines)]
      .filter(pick)
      .reduce((s, l) => s + l.perSecond, 0);

  it('splits the rate over destinations and endpoints', () => {
    const rates = Object.fromEntries(plan.endpoints.map((e) => [e.model.traffic.endpoint.name, e.model.traffic.rate]));
    // inventory: Placed + Cancelled = 2 × 111.11; warehouse: Placed; analytics: all three.
    expect(rates.inventory).toBeCloseTo(222.222, 2);
    expect(rates.email).toBeCloseTo(222.222, 2);
    expect(rates.warehouse).toBeCloseTo(111.111, 2);
    expect(rates.analytics).toBeCloseTo(333.333, 2);
    expect(rates.ledger).toBeCloseTo(333.333, 2);
    expect(rates.jobs).toBeCloseTo(333.333, 2);
    // analytics: 333.33 × 2 s window / 5 pollers = 133 → batches of its batch size, 100.
    expect(plan.endpoints.find((e) => e.model.traffic.endpoint.name === 'analytics')!.model.recordsPerInvocation).toBe(
      100,
    );
  });

  it('counts the requests per service by hand', () => {
    // Publisher: 333.33 × 5 ms = 1.67 per batch → 0.6 calls per message (above the measured 0.1 / 0.2).
    expect(sum((l) => l.billing === 'snsStandardPublish')).toBeCloseTo(200, 6);
    expect(sum((l) => l.billing === 'snsFifoPublish')).toBeCloseTo(200, 6);
    // SQS standard: inventory 222.22 × 1.2 (delivery + receive/10 + delete/10) = 266.67, email 266.67,
    // warehouse 133.33, analytics 333.33 + 33.33 + 33.33 = 400 (batches of 100, still 10 per receive),
    // jobs 66.67 (no SNS delivery) + its publisher's 200 SendMessageBatch, runtime: analytics
    // GetQueueAttributes 333.33 × 0.0333 = 11.11 and DeleteMessageBatch 33.33, jobs replies 333.33.
    // 266.67 + 266.67 + 133.33 + 400 + 66.67 + 200 + 11.11 + 33.33 + 333.33 = 1,711.11
    expect(sum((l) => l.billing === 'sqsStandard')).toBeCloseTo(1711.111, 2);
    // SQS FIFO: ledger and audit 333.33 × 1.2 each = 800.
    expect(sum((l) => l.billing === 'sqsFifo')).toBeCloseTo(800, 6);
    // Lambda: 22.22 + 22.22 + 11.11 + 3.33 + 33.33 + 33.33 + 33.33 = 158.89 invocations/s.
    expect(sum((l) => l.billing === 'lambdaRequests')).toBeCloseTo(158.889, 2);
    // DynamoDB write units (transactions count 2 per item): inventory 222.22 × 4, email 222.22 × 4,
    // warehouse 111.11 × 1, analytics 333.33 × 2, ledger 333.33 × 4, audit 333.33 × 1, jobs 333.33 × 4
    // = 888.89 + 888.89 + 111.11 + 666.67 + 1,333.33 + 333.33 + 1,333.33 = 5,555.56
    expect(sum((l) => l.billing === 'dynamodbWrite')).toBeCloseTo(5555.556, 2);
    // Read units: inventory's Cancelled 111.11 × 1 + audit 333.33 × 1 = 444.44.
    expect(sum((l) => l.billing === 'dynamodbRead')).toBeCloseTo(444.444, 2);
    // KMS: 7 queues × (2 + 5 pollers) / 300 s + 2 topics × 2 / 300 s = 53 / 300 (a few calls per queue per 5 minutes).
    expect(sum((l) => l.billing === 'kms')).toBeCloseTo(53 / 300, 9);
  });

  it('prices them: $4.87 per million messages', () => {
    // $ per second: SNS standard 200 × 0.5e-6 = 1.0e-4; SNS FIFO 200 × 0.3e-6 = 6.0e-5 + payload
    // 333.33 × 1,024 B = 3.41333e-4 GB × 0.017 = 5.80267e-6; SQS standard 1,711.11 × 0.4e-6 = 6.84444e-4;
    // SQS FIFO 800 × 0.5e-6 = 4.0e-4; SNS FIFO deliveries 666.67 × 0.01e-6 = 6.6667e-6 + 6.82667e-4 GB ×
    // 0.001 = 6.82667e-7; Lambda 158.89 × 0.2e-6 = 3.17778e-5 + 158.89 × 0.1 s × 0.25 GB × 0.0000133334
    // = 5.29631e-5; DynamoDB 5,555.56 × 0.625e-6 = 3.47222e-3 + 444.44 × 0.125e-6 = 5.5556e-5;
    // KMS 53/300 × 3e-6 = 5.3e-7. Total 4.870645e-3 $/s → per million: 4.870645; per month
    // × 2,628,000 s = 12,800.06.
    expect(plan.perMillionMessages).toBeCloseTo(4.870645, 5);
    expect(plan.variablePerSecond * 2_628_000).toBeCloseTo(12_800.06, 1);
  });

  it("finds the first limit: jobs' MaximumConcurrency 5 at 1,500 msg/s", () => {
    // jobs: R/3 msg/s in batches of 10, 0.1 s each → concurrency R/300 = 5 at R = 1,500. Next would be the
    // FIFO in-order limit (hottest group R/3 × 0.1 vs 10 / 0.1 s = 100 msg/s at R = 3,000).
    const first = firstLimit(input)!;
    expect(first.check.limit).toBe('Event source concurrency (MaximumConcurrency)');
    expect(first.check.scope).toBe('jobs');
    expect(first.rate).toBeCloseTo(1500, 3);
    expect(first.check.fix).toBe("raise consumer.maxConcurrency of 'jobs'");
  });
});
