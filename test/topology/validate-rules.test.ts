import { describe, expect, it } from 'vitest';
import { problemsOf, topologyWith } from '../support/topology-fixtures.ts';

describe('validateTopology rules', () => {
  it('accepts the valid fixture', () => {
    expect(problemsOf(topologyWith())).toEqual([]);
  });

  it('rejects a standard topic feeding a FIFO queue', () => {
    expect(problemsOf(topologyWith({ sub: { fifo: true } }))).toEqual([
      "subscription 'orders/billing': a standard topic cannot deliver to a FIFO queue (SNS only fans out to FIFO queues from FIFO topics). Fix: make the topic FIFO (fifo: true) or remove fifo: true from the subscription.",
    ]);
  });

  it('rejects a FIFO subscription with a batch size over 10', () => {
    expect(
      problemsOf(topologyWith({ topic: { fifo: true }, sub: { consumer: { handler: 'b', batchSize: 11 } } })),
    ).toEqual([
      "subscription 'orders/billing': batch size must be at most 10 for a FIFO queue (given 11). Fix: set consumer.batchSize to 10 or less.",
    ]);
  });

  it('rejects a FIFO subscription with a batching window', () => {
    expect(
      problemsOf(
        topologyWith({ topic: { fifo: true }, sub: { consumer: { handler: 'b', batchingWindowSeconds: 2 } } }),
      ),
    ).toEqual([
      "subscription 'orders/billing': a FIFO queue's event source cannot have a batching window (given 2 s). Fix: remove consumer.batchingWindowSeconds.",
    ]);
  });

  it('rejects a batch size over 10 without a window of at least 1 s', () => {
    expect(problemsOf(topologyWith({ sub: { consumer: { handler: 'b', batchSize: 100 } } }))).toEqual([
      "subscription 'orders/billing': batch size 100 is over 10 and needs a batching window of at least 1 s (given 0 s). Fix: set consumer.batchingWindowSeconds to 1 or more, or the batch size to 10 or less.",
    ]);
    expect(
      problemsOf(topologyWith({ sub: { consumer: { handler: 'b', batchSize: 100, batchingWindowSeconds: 1 } } })),
    ).toEqual([]);
  });

  it('rejects a batch size outside 1–10,000 on a standard queue', () => {
    expect(
      problemsOf(topologyWith({ queue: { consumer: { handler: 't', batchSize: 10_001, batchingWindowSeconds: 5 } } })),
    ).toEqual([
      "work queue 'tasks': batch size must be an integer from 1 to 10000 (given 10001). Fix: set consumer.batchSize within that range.",
    ]);
  });

  it.each([1, 1001, 2.5])('rejects maxConcurrency %s (outside 2–1000)', (maxConcurrency) => {
    expect(problemsOf(topologyWith({ queue: { consumer: { handler: 't', maxConcurrency } } }))).toEqual([
      `work queue 'tasks': maxConcurrency must be an integer from 2 to 1000 (given ${maxConcurrency}). Fix: set consumer.maxConcurrency within that range, or remove it for no cap.`,
    ]);
  });

  it('rejects a filter policy with more than 5 keys, counting the events filter', () => {
    const filterPolicy = { a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'] };
    expect(problemsOf(topologyWith({ sub: { events: ['Placed'], filterPolicy } }))).toEqual([
      "subscription 'orders/billing': filter policy has 6 keys, over the SNS limit of 5 (the events list counts as the key 'eventType'). Fix: filter on fewer attributes, or filter the rest in the consumer.",
    ]);
    expect(problemsOf(topologyWith({ sub: { filterPolicy } }))).toEqual([]);
  });

  it('rejects a filter policy with more than 150 value combinations', () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
    const filterPolicy = { region: values(10), tier: values(4), channel: values(4) };
    expect(problemsOf(topologyWith({ sub: { filterPolicy } }))).toEqual([
      "subscription 'orders/billing': filter policy has 160 value combinations, over the SNS limit of 150. Fix: use fewer values per key (prefix or numeric-range operators cover many values with one).",
    ]);
  });

  it('counts nested body-policy keys at the leaves', () => {
    const filterPolicy = { order: { a: ['1'], b: ['1'], c: { d: ['1'], e: ['1'], f: ['1'] } }, g: ['1'] };
    expect(problemsOf(topologyWith({ sub: { filterPolicy, filterPolicyScope: 'body' } }))).toEqual([
      "subscription 'orders/billing': filter policy has 6 keys, over the SNS limit of 5 (the events list counts as the key 'eventType'). Fix: filter on fewer attributes, or filter the rest in the consumer.",
    ]);
  });

  it('rejects an events list with a body-scoped filter policy', () => {
    expect(
      problemsOf(topologyWith({ sub: { events: ['Placed'], filterPolicyScope: 'body', filterPolicy: { id: ['1'] } } })),
    ).toEqual([
      "subscription 'orders/billing': an events list filters on the 'eventType' message attribute, which a body-scoped filter policy cannot see. Fix: remove events and match the event type inside the body filterPolicy, or use filterPolicyScope: 'attributes'.",
    ]);
  });

  it('rejects exactly-once keyed only on the SQS messageId', () => {
    expect(problemsOf(topologyWith({ queue: { delivery: 'exactly-once', idempotencyKey: ['message-id'] } }))).toEqual([
      "work queue 'tasks': exactly-once needs an idempotency key that survives redelivery, and the SQS messageId does not (a producer or SNS retry gets a new one). Fix: key on the business key (idempotencyKey: [{ field: '<payload field>' }]) or on the producer's key attribute (remove idempotencyKey to get the default).",
    ]);
    // By default every endpoint keys on the producer's key attribute, which the Fanout publisher always sets.
    expect(problemsOf(topologyWith({ queue: { delivery: 'exactly-once' } }))).toEqual([]);
    expect(problemsOf(topologyWith({ sub: { delivery: 'exactly-once', rawDelivery: true } }))).toEqual([]);
  });

  it('rejects a payload-field key that is not a field of every event the endpoint receives', () => {
    expect(problemsOf(topologyWith({ sub: { delivery: 'exactly-once', idempotencyKey: [{ field: 'id' }] } }))).toEqual(
      [],
    );
    expect(
      problemsOf(topologyWith({ sub: { delivery: 'exactly-once', idempotencyKey: [{ field: 'orderId' }] } })),
    ).toEqual([
      "subscription 'orders/billing': idempotency key field 'orderId' is not a field of event type 'Placed' (its schema has id). Fix: key on a field every event of the endpoint has, add 'orderId' to the schema of 'Placed', or key 'Placed' apart (idempotencyKeyByEvent).",
      "subscription 'orders/billing': idempotency key field 'orderId' is not a field of event type 'Cancelled' (its schema has id). Fix: key on a field every event of the endpoint has, add 'orderId' to the schema of 'Cancelled', or key 'Cancelled' apart (idempotencyKeyByEvent).",
    ]);
    // Only the events the subscription receives count.
    expect(
      problemsOf(topologyWith({ sub: { events: ['Placed'], idempotencyKey: [{ field: 'orderId' }] } })),
    ).toHaveLength(1);
  });

  it('rejects an explicit key source the endpoint cannot have', () => {
    expect(problemsOf(topologyWith({ queue: { idempotencyKey: ['sns-message-id', 'fifo-dedup-id'] } }))).toEqual([
      "work queue 'tasks': idempotency key source 'sns-message-id' needs the SNS envelope, which work queues and raw delivery do not have. Fix: remove 'sns-message-id' or turn rawDelivery off.",
      "work queue 'tasks': idempotency key source 'fifo-dedup-id' only exists on FIFO queues. Fix: remove 'fifo-dedup-id' or make the queue FIFO.",
    ]);
  });

  it('rejects duplicate names, with subscriptions and work queues sharing one namespace', () => {
    const topology = topologyWith({ queue: { name: 'billing' } });
    expect(problemsOf(topology)).toEqual([
      "queue 'billing': the name is used by more than one queue (subscriptions and work queues share one namespace). Fix: give each a unique name.",
    ]);
    const twoTopics = topologyWith();
    expect(
      problemsOf({ ...twoTopics, topics: [...twoTopics.topics, { ...twoTopics.topics[0]!, subscriptions: [] }] }),
    ).toEqual(["topic 'orders': the name is used by more than one topic. Fix: give each a unique name."]);
  });

  it('rejects names whose derived AWS names exceed the limits', () => {
    const name = `billing-${'x'.repeat(60)}`;
    expect(problemsOf(topologyWith({ sub: { name } }))).toEqual([
      `queue '${name}': its DLQ name 'shop-dev-${name}-dlq' is 81 characters, over the AWS limit of 80. Fix: shorten the name by 1 characters (the app name and stage count too).`,
      `queue '${name}': its subscription DLQ name 'shop-dev-${name}-sub-dlq' is 85 characters, over the AWS limit of 80. Fix: shorten the name by 5 characters (the app name and stage count too).`,
      `queue '${name}': its function name 'shop-dev-${name}' is 77 characters, over the AWS limit of 64. Fix: shorten the name by 13 characters (the app name and stage count too).`,
    ]);
  });

  it('rejects names with characters AWS or the naming scheme do not allow', () => {
    expect(problemsOf(topologyWith({ sub: { name: 'Billing_Svc' } }))).toEqual([
      "name 'Billing_Svc': names must start with a lowercase letter and contain only lowercase letters, digits and hyphens. Fix: rename it, e.g. 'billing-svc'.",
    ]);
  });

  it('rejects at-most-once with a maxReceiveCount', () => {
    expect(problemsOf(topologyWith({ sub: { delivery: 'at-most-once', maxReceiveCount: 3 } }))).toEqual([
      "subscription 'orders/billing': at-most-once delivery is never retried, so maxReceiveCount (given 3) has no meaning. Fix: remove maxReceiveCount, or use delivery: 'at-least-once' to retry.",
    ]);
  });

  it('rejects maxDepth shedding unless delivery is at-most-once', () => {
    expect(problemsOf(topologyWith({ sub: { maxDepth: 100 } }))).toEqual([
      "subscription 'orders/billing': maxDepth sheds (drops) the oldest messages, which only at-most-once delivery allows (delivery is at-least-once). Fix: use delivery: 'at-most-once' or remove maxDepth.",
    ]);
  });

  it('rejects event types a topic or subscription does not know', () => {
    expect(problemsOf(topologyWith({ sub: { events: ['Shipped'] } }))).toEqual([
      "subscription 'orders/billing': event type 'Shipped' is not one of topic 'orders's events (Placed, Cancelled). Fix: use one of those names, or declare 'Shipped' there.",
    ]);
  });

  it('rejects a consumer table the topology does not declare', () => {
    expect(problemsOf(topologyWith({ queue: { consumer: { handler: 't', tables: ['ledger'] } } }))).toEqual([
      "work queue 'tasks': consumer uses table 'ledger', which the topology does not declare (tables: orders). Fix: add { name: 'ledger', partitionKey: '...' } to tables, or fix the name.",
    ]);
  });

  it('rejects condition checks on a table the consumer does not use', () => {
    expect(
      problemsOf(
        topologyWith({ queue: { consumer: { handler: 'tasks', tables: ['orders'], conditionChecks: ['limits'] } } }),
      ),
    ).toEqual([
      "work queue 'tasks': consumer condition-checks table 'limits', which is not one of its tables (orders). Fix: add 'limits' to consumer.tables, or remove it from consumer.conditionChecks.",
    ]);
  });

  it('rejects FIFO-only topic options on a standard topic and FIFO events without a group field', () => {
    expect(problemsOf(topologyWith({ topic: { archiveRetentionDays: 7 } }))).toEqual([
      "topic 'orders': archiveRetentionDays only applies to FIFO topics. Fix: set fifo: true or remove archiveRetentionDays.",
    ]);
    expect(
      problemsOf(topologyWith({ topic: { fifo: true, events: ['Placed', 'Shipped'] }, sub: { events: ['Placed'] } })),
    ).toEqual([
      "topic 'orders': event type 'Shipped' is published to a FIFO topic but has no groupBy field (the message group, i.e. ordering key). Fix: set groupBy on events.Shipped, e.g. groupBy: 'accountId'.",
    ]);
  });

  it.each([
    [{ timeoutSeconds: 901 }, 'function timeout must be an integer from 1 to 900 s (given 901)'],
    [{ memoryMb: 64 }, 'function memory must be an integer from 128 to 10240 MiB (given 64)'],
    [{ batchingWindowSeconds: 301, batchSize: 5 }, 'batching window must be an integer from 0 to 300 s (given 301)'],
  ])('rejects consumer setting %o', (consumer, rule) => {
    const problems = problemsOf(topologyWith({ queue: { consumer: { handler: 't', ...consumer } } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`work queue 'tasks': ${rule}.`);
  });

  it('rejects an invalid stage name', () => {
    expect(problemsOf(topologyWith(), 'Prod_1')).toEqual([
      "stage 'Prod_1': a stage is 1–10 lowercase letters or digits, starting with a letter. Fix: pass e.g. -c stage=dev.",
    ]);
  });
});

describe('alarm names', () => {
  it('rejects endpoint names whose alarm names collide (a + sub-dlq, a-sub + dlq)', () => {
    const problems = problemsOf(
      topologyWith({
        topology: { workQueues: [{ name: 'billing-sub', events: ['Shipped'], consumer: { handler: 'x' } }] },
      }),
    );
    expect(problems).toEqual([
      "alarm 'shop-dev-billing-sub-dlq': the alarm name is built for billing (sub-dlq) and billing-sub (dlq), and alarm names must be unique. Fix: rename one of those endpoints.",
    ]);
  });
});
