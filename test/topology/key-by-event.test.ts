import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { resolveTopology, type SubscriptionSpec } from '../../topology/index.ts';
import { keySourcesOf } from '../../topology/key-sources.ts';
import { problemsOf, topologyWith } from '../support/topology-fixtures.ts';

// One business entity with several events of one type (refunds of a payment) is keyed per event type.
const refund = v.object({ id: v.string(), refundId: v.string() });
const withRefunds = (sub: Partial<SubscriptionSpec>) =>
  topologyWith({
    topology: {
      events: {
        Placed: { schema: v.object({ id: v.string() }) },
        Cancelled: { schema: refund },
        Shipped: { schema: v.object({ id: v.string() }) },
      },
    },
    sub: { delivery: 'exactly-once', idempotencyKey: [{ field: 'id' }], ...sub },
  });

describe('idempotencyKeyByEvent', () => {
  it('keys one event type by its own field and the others by idempotencyKey', () => {
    const topology = withRefunds({ idempotencyKeyByEvent: { Cancelled: [{ field: 'refundId' }] } });
    expect(problemsOf(topology)).toEqual([]);
    const billing = resolveTopology(topology, 'dev').endpoints.find((e) => e.name === 'billing')!;
    expect(keySourcesOf(billing, 'Cancelled')).toEqual([{ field: 'refundId' }]);
    expect(keySourcesOf(billing, 'Placed')).toEqual([{ field: 'id' }]);
  });

  it("checks each event's field against that event's schema only", () => {
    // refundId is not a field of Placed, but Placed does not use it.
    expect(problemsOf(withRefunds({ idempotencyKeyByEvent: { Placed: [{ field: 'refundId' }] } }))).toEqual([
      "subscription 'orders/billing': idempotency key field 'refundId' is not a field of event type 'Placed' (its schema has id). Fix: key on a field every event of the endpoint has, add 'refundId' to the schema of 'Placed', or key 'Placed' apart (idempotencyKeyByEvent).",
    ]);
    // The endpoint's key need not be a field of an event keyed apart.
    expect(
      problemsOf(
        withRefunds({ idempotencyKey: [{ field: 'refundId' }], idempotencyKeyByEvent: { Placed: [{ field: 'id' }] } }),
      ),
    ).toEqual([]);
  });

  it('rejects an event type the endpoint does not receive, an empty list, and a messageId-only key', () => {
    expect(
      problemsOf(
        withRefunds({
          events: ['Placed'],
          idempotencyKeyByEvent: { Cancelled: [{ field: 'refundId' }], Placed: [] },
        }),
      ),
    ).toEqual([
      "subscription 'orders/billing': idempotencyKeyByEvent names event type 'Cancelled', which this endpoint does not receive (it receives Placed). Fix: remove 'Cancelled' from idempotencyKeyByEvent, or fix the name.",
      "subscription 'orders/billing': idempotencyKeyByEvent gives event type 'Placed' no key source. Fix: name at least one source (e.g. [{ field: '<id of each Placed>' }]), or remove 'Placed' to use idempotencyKey.",
    ]);
    expect(problemsOf(withRefunds({ idempotencyKeyByEvent: { Cancelled: ['message-id'] } }))).toEqual([
      "subscription 'orders/billing': exactly-once needs an idempotency key that survives redelivery, and the SQS messageId does not (a producer or SNS retry gets a new one); idempotencyKeyByEvent keys 'Cancelled' by it alone. Fix: key on the business key (idempotencyKey: [{ field: '<payload field>' }]) or on the producer's key attribute (remove idempotencyKey to get the default).",
    ]);
    expect(
      problemsOf(withRefunds({ rawDelivery: true, idempotencyKeyByEvent: { Cancelled: ['sns-message-id'] } })),
    ).toEqual([
      "subscription 'orders/billing': idempotency key source 'sns-message-id' needs the SNS envelope, which work queues and raw delivery do not have. Fix: remove 'sns-message-id' or turn rawDelivery off.",
    ]);
  });
});
