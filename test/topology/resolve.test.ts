import { describe, expect, it } from 'vitest';
import { resolveTopology, TopologyValidationError } from '../../topology/index.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { topologyWith } from '../support/topology-fixtures.ts';

describe('resolveTopology', () => {
  const dev = resolveTopology(fixtureTopology, 'dev');
  const endpoint = (name: string) => dev.endpoints.find((e) => e.name === name)!;

  it('compiles every subscription and work queue of the fixture topology', () => {
    expect(dev.endpoints.map((e) => e.path)).toEqual([
      'orders/inventory',
      'orders/email',
      'orders/warehouse',
      'orders/analytics',
      'payments/ledger',
      'payments/audit',
      'jobs',
    ]);
    expect(dev.topics.map((t) => t.physicalName)).toEqual([
      'fanout-dev-orders',
      'fanout-dev-payments.fifo',
      'fanout-dev-ops-alarms',
    ]);
  });

  it('turns an events list into an eventType filter policy, and none when it lists every event', () => {
    expect(endpoint('inventory').filterPolicy).toEqual({ eventType: ['CartPlaced', 'CartCancelled'] });
    expect(endpoint('analytics').filterPolicy).toBeUndefined();
  });

  it('derives the visibility timeout from six function timeouts plus the batching window', () => {
    expect(endpoint('inventory').visibilityTimeoutSeconds).toBe(180);
    expect(endpoint('analytics').visibilityTimeoutSeconds).toBe(182);
    expect(endpoint('jobs').visibilityTimeoutSeconds).toBe(360);
  });

  it('runs as many records at once as the batch holds, at most 50, unless the consumer says', () => {
    expect(endpoint('inventory').consumer.parallelism).toBe(10);
    expect(endpoint('analytics').consumer.parallelism).toBe(50);
  });

  it('gives at-most-once no maxReceiveCount and the others the default 5 unless set', () => {
    expect(endpoint('analytics').maxReceiveCount).toBeUndefined();
    expect(endpoint('warehouse').maxReceiveCount).toBe(3);
    expect(endpoint('email').maxReceiveCount).toBe(5);
  });

  it('orders default idempotency key sources: producer attribute, SNS id, FIFO dedup id, messageId', () => {
    expect(endpoint('audit').idempotencyKey).toEqual([
      { attribute: 'idempotencyKey' },
      'sns-message-id',
      'fifo-dedup-id',
      'message-id',
    ]);
    expect(endpoint('analytics').idempotencyKey).toEqual([{ attribute: 'idempotencyKey' }, 'message-id']);
    expect(endpoint('ledger').idempotencyKey).toEqual([{ field: 'paymentId' }]);
    expect(endpoint('jobs').idempotencyKey).toEqual([{ field: 'jobId' }]);
  });

  it('keys on the producer attribute the publisher always sets, even where the topology names none', () => {
    const resolved = resolveTopology(topologyWith(), 'dev');
    expect(resolved.endpoints.map((e) => e.idempotencyKey[0])).toEqual([
      { attribute: 'idempotencyKey' },
      { attribute: 'idempotencyKey' },
    ]);
  });

  it('keeps idempotency records as long as a copy of the message can still arrive: archive, queue and DLQ retention', () => {
    // payments archives 30 days; a replayed copy may then wait 4 days in the queue and 14 in the DLQ.
    expect(endpoint('ledger').idempotencyTtlHours).toBe((30 + 4 + 14 + 1) * 24);
    expect(endpoint('audit').idempotencyTtlHours).toBe((30 + 4 + 14 + 1) * 24);
    // Without an archive: two copies 4 days apart in a backlog, or one replayed from the DLQ on day 14.
    expect(endpoint('email').idempotencyTtlHours).toBe((4 + 14 + 1) * 24);
    expect(resolveTopology(fixtureTopology, 'prod').endpoints.find((e) => e.name === 'jobs')!.idempotencyTtlHours).toBe(
      (4 + 14 + 1) * 24,
    );
  });

  it('keeps claim-check payloads longer than any message pointing at them can live', () => {
    // 30 days in the payments archive, then 4 in a queue and 14 in a DLQ, plus a day.
    expect(dev.payloadRetentionDays).toBe(30 + 4 + 14 + 1);
    expect(resolveTopology(topologyWith(), 'dev').payloadRetentionDays).toBe(4 + 14 + 1);
  });

  it('makes subscribers of a FIFO topic FIFO with .fifo names', () => {
    expect(endpoint('ledger').fifo).toBe(true);
    expect(endpoint('ledger').names).toEqual({
      queue: 'fanout-dev-ledger.fifo',
      deadLetterQueue: 'fanout-dev-ledger-dlq.fifo',
      subscriptionDeadLetterQueue: 'fanout-dev-ledger-sub-dlq.fifo',
      function: 'fanout-dev-ledger',
    });
  });

  it('takes alarm thresholds from the stage unless the endpoint sets them', () => {
    const prod = resolveTopology(fixtureTopology, 'prod');
    const prodInventory = prod.endpoints.find((e) => e.name === 'inventory')!;
    expect(endpoint('inventory').alarms).toEqual({
      maxDepth: 1000,
      maxAgeSeconds: 900,
      maxErrors: 10,
      maxThrottles: 10,
      maxFailedRecords: 10,
      maxDeadLetteredRecords: 1,
      maxDroppedRecords: false,
      maxTimeToDrainSeconds: false,
      maxQuietGroupAgeSeconds: false,
    });
    expect(prodInventory.alarms).toEqual({
      maxDepth: 100,
      maxAgeSeconds: 300,
      maxErrors: 1,
      maxThrottles: 1,
      maxFailedRecords: 1,
      maxDeadLetteredRecords: 1,
      maxDroppedRecords: false,
      maxTimeToDrainSeconds: false,
      maxQuietGroupAgeSeconds: false,
    });
    expect(endpoint('analytics').alarms.maxAgeSeconds).toBe(false);
    // At-most-once: no DLQ to dead-letter to, and a dropped-records alarm instead.
    expect(endpoint('analytics').alarms).toMatchObject({ maxDeadLetteredRecords: false, maxDroppedRecords: 10 });
    expect(endpoint('ledger').alarms.maxTimeToDrainSeconds).toBe(600);
  });

  it('adds the alarm topic when the topology does not declare it', () => {
    const resolved = resolveTopology(topologyWith(), 'dev');
    expect(resolved.alarmTopic.physicalName).toBe('shop-dev-ops-alarms');
    expect(resolved.topics.map((t) => t.name)).toEqual(['orders', 'ops-alarms']);
  });

  it('refuses to resolve an invalid topology or an unknown stage', () => {
    expect(() => resolveTopology(topologyWith({ sub: { fifo: true } }), 'dev')).toThrow(TopologyValidationError);
    expect(() => resolveTopology(topologyWith(), 'qa')).toThrow(
      "Unknown stage 'qa': stages are dev, prod. Pass one with -c stage=dev or add it to topology/stages.ts.",
    );
  });
});
