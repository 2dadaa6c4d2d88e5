import { describe, expect, it } from 'vitest';
import { resolveTopology } from '../../topology/index.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { topologyWith } from '../support/topology-fixtures.ts';

/** Facts every module reads from the resolved endpoint instead of deriving them again from the raw topology. */
describe('resolved endpoint facts', () => {
  const dev = resolveTopology(fixtureTopology, 'dev');
  const endpoint = (name: string) => dev.endpoints.find((e) => e.name === name)!;

  it('says whether records arrive in the SNS envelope: subscriptions without raw delivery only', () => {
    expect(endpoint('inventory').snsEnvelope).toBe(true);
    expect(endpoint('analytics').snsEnvelope).toBe(false); // rawDelivery: true
    expect(endpoint('jobs').snsEnvelope).toBe(false); // work queue
  });

  it('inherits FIFO from the topic unless the subscription says otherwise', () => {
    expect(endpoint('ledger').fifo).toBe(true);
    expect(endpoint('inventory').fifo).toBe(false);
  });

  it("carries a work queue's producers and the producer key attribute", () => {
    const resolved = resolveTopology(
      topologyWith({
        queue: { producers: ['arn:aws:iam::123456789012:role/producer'], producerKeyAttribute: 'requestKey' },
      }),
      'dev',
    );
    const tasks = resolved.endpoints.find((e) => e.name === 'tasks')!;
    expect(tasks.producers).toEqual(['arn:aws:iam::123456789012:role/producer']);
    expect(tasks.producerKeyAttribute).toBe('requestKey');
    const billing = resolved.endpoints.find((e) => e.name === 'billing')!;
    expect(billing.producers).toEqual([]);
    expect(billing.producerKeyAttribute).toBe('idempotencyKey');
    expect(resolved.topics.find((t) => t.name === 'orders')!.producerKeyAttribute).toBe('idempotencyKey');
  });
});
