import { describe, expect, it } from 'vitest';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { problemsOf, topologyWith } from '../support/topology-fixtures.ts';

describe('validateTopology: 2025–26 options', () => {
  it('accepts the fixture topology, which uses tenantBy, filters and highThroughput', () => {
    expect(problemsOf(fixtureTopology)).toEqual([]);
  });

  it('rejects a tenantBy that is not a payload field', () => {
    const base = topologyWith();
    expect(
      problemsOf({ ...base, events: { ...base.events, Shipped: { ...base.events.Shipped!, tenantBy: 'customerId' } } }),
    ).toEqual([
      "event type 'Shipped': tenantBy field 'customerId' is not a field of its schema (fields: id). Fix: name a payload field as tenantBy, or add 'customerId' to the schema.",
    ]);
  });

  it('accepts each schema compatibility mode and rejects any other', () => {
    const base = topologyWith();
    const shipped = (compatibility: unknown) => ({
      ...base,
      events: { ...base.events, Shipped: { ...base.events.Shipped!, compatibility: compatibility as never } },
    });
    for (const mode of ['backward', 'forward', 'full', 'none']) expect(problemsOf(shipped(mode))).toEqual([]);
    expect(problemsOf(shipped('strict'))).toEqual([
      "event type 'Shipped': compatibility must be one of backward, forward, full, none (given \"strict\"). Fix: use 'backward' (the default) unless old consumers must read new messages ('forward', 'full') or no check is wanted ('none').",
    ]);
  });

  it('rejects highThroughput on a standard topic or queue', () => {
    expect(problemsOf(topologyWith({ topic: { highThroughput: true }, queue: { highThroughput: true } }))).toEqual([
      "topic 'orders': highThroughput only applies to FIFO topics (standard topics have no per-group throughput). Fix: set fifo: true or remove highThroughput.",
      "work queue 'tasks': highThroughput only applies to FIFO queues. Fix: set fifo: true or remove highThroughput.",
    ]);
    expect(problemsOf(topologyWith({ topic: { fifo: true, highThroughput: true } }))).toEqual([]);
  });

  it.each([1023, 1_048_577, 300.5])('rejects maxMessageSizeBytes %s', (size) => {
    expect(problemsOf(topologyWith({ topic: { maxMessageSizeBytes: size } }))).toEqual([
      `topic 'orders': maxMessageSizeBytes must be an integer from 1024 to 1048576 (given ${size}). Fix: set maxMessageSizeBytes within that range (larger payloads go through the claim-check).`,
    ]);
  });

  it('keeps room for the dead-letter reason: a topic whose subscriptions dead-letter carries at most 1 MiB less 1 KiB', () => {
    expect(problemsOf(topologyWith({ topic: { maxMessageSizeBytes: 1_047_553 } }))).toEqual([
      "topic 'orders': a topic with a dead-lettering subscription may carry messages of at most 1047552 bytes (given 1047553): its queues keep 1024 bytes free for the dead-letter reason. Fix: lower maxMessageSizeBytes to 1047552 (larger payloads go through the claim-check).",
    ]);
    expect(problemsOf(topologyWith({ topic: { maxMessageSizeBytes: 1_047_552 } }))).toEqual([]);
    const base = topologyWith({ topic: { maxMessageSizeBytes: 1_048_576 } });
    const atMostOnce = base.topics[0]!.subscriptions.map((s) => ({ ...s, delivery: 'at-most-once' as const }));
    expect(problemsOf({ ...base, topics: [{ ...base.topics[0]!, subscriptions: atMostOnce }] })).toEqual([]);
  });

  it('rejects a large-message topic with more than 100 subscriptions', () => {
    const base = topologyWith();
    const subscriptions = Array.from({ length: 101 }, (_, i) => ({ name: `s${i}x`, consumer: { handler: 'h' } }));
    const topology = {
      ...base,
      workQueues: [],
      topics: [{ ...base.topics[0]!, maxMessageSizeBytes: 262_145, subscriptions }],
    };
    expect(problemsOf(topology)).toEqual([
      "topic 'orders': a topic whose maxMessageSizeBytes is above 262144 may have at most 100 subscriptions (given 262145 bytes and 101 subscriptions). Fix: lower maxMessageSizeBytes to 262144 or split the subscribers over several topics.",
    ]);
    expect(problemsOf({ ...topology, topics: [{ ...topology.topics[0]!, maxMessageSizeBytes: 262_144 }] })).toEqual([]);
  });

  it('checks provisioned pollers against the SQS ranges and maxConcurrency', () => {
    const pollers = (min: number, max: number, extra = {}) =>
      problemsOf(topologyWith({ queue: { consumer: { handler: 't', pollers: { min, max }, ...extra } } }));
    expect(pollers(2, 2000)).toEqual([]);
    expect(pollers(1, 10)).toEqual([
      "work queue 'tasks': pollers.min must be an integer from 2 to 200 (given 1). Fix: set consumer.pollers.min within that range.",
    ]);
    expect(pollers(201, 300)).toEqual([
      "work queue 'tasks': pollers.min must be an integer from 2 to 200 (given 201). Fix: set consumer.pollers.min within that range.",
    ]);
    expect(pollers(2, 2001)).toEqual([
      "work queue 'tasks': pollers.max must be an integer from 2 to 2000 (given 2001). Fix: set consumer.pollers.max within that range.",
    ]);
    expect(pollers(10, 5)).toEqual([
      "work queue 'tasks': pollers.min must not exceed pollers.max (given min 10, max 5). Fix: raise pollers.max or lower pollers.min.",
    ]);
    expect(pollers(2, 10, { maxConcurrency: 5 })).toEqual([
      "work queue 'tasks': provisioned pollers and maxConcurrency cannot be combined (given pollers 2–10 and maxConcurrency 5). Fix: remove consumer.maxConcurrency (pollers.max bounds the concurrency) or remove consumer.pollers.",
    ]);
  });

  it('checks event filters: count, shape and SQS record fields', () => {
    const filters = (f: readonly unknown[]) =>
      problemsOf(topologyWith({ sub: { consumer: { handler: 'b', filters: f as never } } }));
    expect(filters([{ body: { id: [{ prefix: 'a' }] } }, { $or: [{ body: { id: ['x'] } }] }])).toEqual([]);
    expect(filters(Array.from({ length: 6 }, () => ({ body: { id: ['x'] } })))).toEqual([
      "subscription 'orders/billing': an event source mapping takes at most 5 filters (given 6). Fix: merge patterns with $or or filter the rest in the handler.",
    ]);
    expect(filters([{ id: ['x'] }])).toEqual([
      "subscription 'orders/billing': consumer.filters[0] filters on 'id', which an SQS record does not have (fields: messageId, receiptHandle, body, attributes, messageAttributes, md5OfBody, eventSource, eventSourceARN, awsRegion). Fix: match payload fields under body (e.g. { body: { accountId: ['a-1'] } }) and attributes under messageAttributes.",
    ]);
    expect(filters([{}])).toEqual([
      "subscription 'orders/billing': consumer.filters[0] must be a non-empty object pattern (given {}). Fix: write a pattern such as { body: { kind: ['word-count'] } }.",
    ]);
    expect(filters([{ body: { id: ['x'.repeat(4100)] } }])[0]).toMatch(
      /consumer\.filters\[0\] is 41\d\d characters of JSON, over Lambda's 4096/,
    );
  });
});
