import { describe, expect, it } from 'vitest';
import { buildDemoTraffic } from '../../demo/traffic.ts';
import { EVENT_TYPE_ATTRIBUTE } from '../../../../topology/defaults.ts';
import { referenceTopology } from '../../topology.ts';
import { resolveTopology } from '../../../../topology/resolve.ts';

/** The demo publishes with the plain SDK, so it must set the attributes the topology's consumers read. */
describe('demo traffic', () => {
  const reference = resolveTopology(referenceTopology, 'dev');
  const traffic = buildDemoTraffic({ orders: 10, accounts: 2, paymentsPerAccount: 2, jobs: 4, poison: 1 });

  it.each([
    ['orders', traffic.first.orders],
    ['payments', traffic.first.payments],
    ['jobs', traffic.first.jobs],
  ] as const)("sets %s's event type attribute and producer key attribute on every message", (destination, entries) => {
    const keyAttribute = (reference.topics.find((t) => t.name === destination) ??
      reference.endpoints.find((e) => e.name === destination))!.producerKeyAttribute;
    const events = (reference.topics.find((t) => t.name === destination) ??
      reference.endpoints.find((e) => e.name === destination))!.events;
    for (const entry of entries) {
      expect(Object.keys(entry.MessageAttributes!).sort()).toEqual([EVENT_TYPE_ATTRIBUTE, keyAttribute].sort());
      expect(events).toContain(entry.MessageAttributes![EVENT_TYPE_ATTRIBUTE]!.StringValue);
    }
  });
});
