import * as v from 'valibot';
import {
  type SubscriptionSpec,
  type Topology,
  TopologyValidationError,
  type TopicSpec,
  validateTopology,
  type WorkQueueSpec,
} from '../../topology/index.ts';
import { formatProblem } from '../../topology/errors.ts';

const payload = v.object({ id: v.string() });

/** A small valid topology; tests override one element to break one rule. */
export function topologyWith(
  overrides: {
    sub?: Partial<SubscriptionSpec>;
    topic?: Partial<TopicSpec>;
    queue?: Partial<WorkQueueSpec>;
    topology?: Partial<Topology>;
  } = {},
): Topology {
  return {
    name: 'shop',
    events: {
      Placed: { schema: payload, groupBy: 'id' },
      Cancelled: { schema: payload, groupBy: 'id' },
      Shipped: { schema: payload },
    },
    tables: [{ name: 'orders', partitionKey: 'id' }],
    topics: [
      {
        name: 'orders',
        events: ['Placed', 'Cancelled'],
        ...overrides.topic,
        subscriptions: [{ name: 'billing', consumer: { handler: 'billing' }, ...overrides.sub }],
      },
    ],
    workQueues: [{ name: 'tasks', events: ['Shipped'], consumer: { handler: 'tasks' }, ...overrides.queue }],
    ...overrides.topology,
  };
}

/** Every problem the validator reports, as the one line each it prints; [] for a valid topology. */
export function problemsOf(topology: Topology, stage = 'dev'): string[] {
  try {
    validateTopology(topology, stage);
  } catch (error) {
    if (error instanceof TopologyValidationError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}
