import { describe, expect, it } from 'vitest';
import { TopologyValidationError, validateTopology } from '../../topology/index.ts';
import { topologyWith } from '../support/topology-fixtures.ts';

describe('validateTopology reporting', () => {
  it('reports every problem in one error, each on its own line', () => {
    const topology = topologyWith({
      sub: { fifo: true, delivery: 'at-most-once', maxReceiveCount: 2 },
      queue: { consumer: { handler: 't', maxConcurrency: 1 } },
    });
    let thrown: unknown;
    try {
      validateTopology(topology);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TopologyValidationError);
    const error = thrown as TopologyValidationError;
    expect(error.problems.map((p) => p.element)).toEqual([
      "subscription 'orders/billing'",
      "subscription 'orders/billing'",
      "work queue 'tasks'",
    ]);
    expect(error.message.split('\n')).toHaveLength(4);
    expect(error.message.split('\n')[0]).toBe("Topology 'shop' has 3 problems:");
  });
});
