import type { GenericSchema } from 'valibot';
import type { SCHEMA_COMPATIBILITY_MODES } from './defaults.ts';

/**
 * How often a subscriber's *effect* happens per published message.
 * - `at-most-once`: never retried, never dead-lettered; failures are counted and dropped.
 * - `at-least-once`: retried up to `maxReceiveCount`, then moved to the DLQ.
 * - `exactly-once`: at-least-once delivery plus an idempotency record per message, so the
 *   handler's effect happens once.
 */
export type DeliveryGuarantee = 'at-most-once' | 'at-least-once' | 'exactly-once';

/**
 * Where the consumer runtime reads a message's idempotency key from, in priority order. Every key
 * is scoped by consumer and event type, so one business key (`paymentId`) may name a capture and
 * its refund.
 * - `{ field }`: a payload field (the business key), checked against every event's schema at synth;
 * - `{ attribute }`: a message attribute set by the producer;
 * - `sns-message-id`, `fifo-dedup-id`, `message-id`: ids the services assign (the SQS messageId
 *   changes on every copy, so it never makes exactly-once on its own).
 */
export type IdempotencyKeySource =
  | { readonly field: string }
  | { readonly attribute: string }
  | (typeof NAMED_KEY_SOURCES)[number];

/** The key sources named by a string (the ids the services assign). */
export const NAMED_KEY_SOURCES = ['sns-message-id', 'fifo-dedup-id', 'message-id'] as const;

/** An SNS filter policy: attribute (or body field) name → allowed values or operators. */
export type FilterPolicy = { readonly [key: string]: FilterPolicyValue };
export type FilterPolicyValue = readonly FilterRule[] | FilterPolicy;
export type FilterRule = string | number | boolean | null | { readonly [operator: string]: unknown };

/** A type of event a producer publishes, with the schema its payload must satisfy. */
export interface EventTypeSpec {
  /** Valibot (Standard Schema) schema of the payload. */
  readonly schema: GenericSchema;
  /**
   * Payload field whose value is the FIFO message group (ordering key).
   * @default - none; required for events published to a FIFO topic or queue
   */
  readonly groupBy?: string;
  /**
   * Payload field whose value is the tenant: on standard topics and queues the publisher sends it as
   * the `MessageGroupId`, which makes every standard queue receiving the event an SQS *fair queue*
   * (a noisy tenant cannot starve quiet ones). Set once per publish, so every subscriber of a topic
   * shares it. FIFO destinations keep `groupBy` as their group.
   * @default - none: no MessageGroupId on standard destinations
   */
  readonly tenantBy?: string;
  /**
   * What a schema change must keep, checked at synth against the committed schema lock: `backward`
   * (the new schema accepts every payload the recorded one accepted: consumers read old messages),
   * `forward` (the recorded schema accepts every new payload: consumers not yet deployed read new
   * messages), `full` (both) or `none` (no check; the lock still records the schema).
   * @default 'backward'
   */
  readonly compatibility?: SchemaCompatibility;
}

/** How a change of an event type's schema must relate to the schema recorded before it. */
export type SchemaCompatibility = (typeof SCHEMA_COMPATIBILITY_MODES)[number];

/**
 * One Lambda event filter pattern on an SQS record (Lambda's filter rule syntax: exact values,
 * `prefix`, `suffix`, `equals-ignore-case`, `anything-but`, `numeric`, `exists`, `cidr`, `wildcard`,
 * `$or`), e.g. `{ body: { kind: ['word-count'] } }` or `{ messageAttributes: { eventType: { stringValue: [{ prefix: 'Order' }] } } }`.
 * Records matching no pattern are deleted from the queue without invoking the function.
 */
export type EventFilterPattern = { readonly [field: string]: unknown };

/** A DynamoDB table a handler keeps its business state in. */
export interface TableSpec {
  readonly name: string;
  /** Partition key attribute (string). */
  readonly partitionKey: string;
  /**
   * Sort key attribute (string).
   * @default - none
   */
  readonly sortKey?: string;
}

/** Alarm thresholds of one queue + consumer. Every alarm is on unless its threshold is `false`. */
export interface AlarmThresholds {
  /**
   * Visible messages (ApproximateNumberOfMessagesVisible, max over 1 min) that raise the backlog alarm.
   * @default - stage default (dev 1000, prod 100)
   */
  readonly maxDepth?: number | false;
  /**
   * Age of the oldest message in seconds (ApproximateAgeOfOldestMessage) that raises the age alarm.
   * @default - stage default (dev 900, prod 300)
   */
  readonly maxAgeSeconds?: number | false;
  /**
   * Consumer errors per minute that raise the errors alarm.
   * @default - stage default (dev 10, prod 1)
   */
  readonly maxErrors?: number | false;
  /**
   * Consumer throttles per minute that raise the throttles alarm.
   * @default - stage default (dev 10, prod 1)
   */
  readonly maxThrottles?: number | false;
  /**
   * Records per minute the consumer runtime reports failed (its `Failed` metric: a handler error, a
   * record dead-lettered or dropped), which raise the failed-records alarm. Lambda's Errors metric
   * stays at 0 while every record fails (the runtime reports failures per record and the invocation
   * succeeds): this alarm is the one that sees it.
   * @default - stage default (dev 10, prod 1)
   */
  readonly maxFailedRecords?: number | false;
  /**
   * Records per minute the consumer runtime dead-letters itself (`DeadLettered`: poison, schema,
   * retries exhausted), which raise the dead-lettered alarm. At-least-once and exactly-once only.
   * @default 1
   */
  readonly maxDeadLetteredRecords?: number | false;
  /**
   * Records per minute an at-most-once consumer drops after a failure (`Dropped`), which raise the
   * dropped alarm: such an endpoint has no DLQ, so this is the only alarm on lost records.
   * At-most-once only.
   * @default - stage default (dev 10, prod 1)
   */
  readonly maxDroppedRecords?: number | false;
  /**
   * Seconds the current backlog would take to drain at the current processing rate
   * (metric math: visible / deleted-per-second) that raise the time-to-drain alarm.
   * @default false - no time-to-drain alarm
   */
  readonly maxTimeToDrainSeconds?: number | false;
  /**
   * Fair queues only (a standard queue receiving an event with `tenantBy`): age in seconds of the
   * oldest message of the quiet tenants (ApproximateAgeOfOldestMessageInQuietGroups) that raises the
   * quiet-group age alarm: quiet tenants waiting although fairness should serve them first.
   * @default - the endpoint's maxAgeSeconds (no alarm when that is false or the queue is not fair)
   */
  readonly maxQuietGroupAgeSeconds?: number | false;
}

/** The Lambda function that drains a queue. */
export interface ConsumerSpec {
  /** File name (without extension) under `lambdas/handlers/`. */
  readonly handler: string;
  /**
   * Function timeout in seconds (1–900).
   * @default 30
   */
  readonly timeoutSeconds?: number;
  /**
   * Function memory in MiB (128–10240).
   * @default 256
   */
  readonly memoryMb?: number;
  /**
   * Records per invocation: 1–10 for FIFO queues, 1–10,000 for standard queues
   * (above 10 only with `batchingWindowSeconds` ≥ 1).
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * Seconds the event source mapping waits to fill a batch (0–300; not allowed for FIFO queues).
   * @default 0
   */
  readonly batchingWindowSeconds?: number;
  /**
   * Most concurrent invocations the event source mapping starts (2–1000).
   * @default - no cap other than the account's concurrency
   */
  readonly maxConcurrency?: number;
  /**
   * Lambda ESM provisioned mode: pollers kept ready for spiky queues (`min` 2–200, `max` 2–2,000,
   * min ≤ max). Not with `maxConcurrency`.
   * @default - on-demand polling
   */
  readonly pollers?: { readonly min: number; readonly max: number };
  /**
   * Event filter patterns of the event source mapping (at most 5, each at most 4,096 characters of
   * JSON; top-level keys are SQS record fields: `body`, `messageAttributes`, `attributes`, …). A record
   * matching none is deleted without an invocation.
   * @default [] - every record reaches the function
   */
  readonly filters?: readonly EventFilterPattern[];
  /**
   * The event source mapping publishes its event counts (`MetricsConfig: EventCount`: polled,
   * filtered out, invoked, failed, deleted), shown on the dashboard.
   * @default true
   */
  readonly eventCountMetrics?: boolean;
  /**
   * Records of one batch processed at once inside an invocation (standard queues; FIFO queues run
   * their message groups in parallel and each group in order).
   * @default - the batch size, at most 50 (the AWS SDK's default connection pool)
   */
  readonly parallelism?: number;
  /**
   * Names of the topology's tables the handler reads and writes.
   * @default []
   */
  readonly tables?: readonly string[];
  /**
   * Of those tables, the ones whose items the handler condition-checks in a staged transaction
   * (`ctx.stage.conditionCheck`): only they get `dynamodb:ConditionCheckItem`.
   * @default []
   */
  readonly conditionChecks?: readonly string[];
}

/** Everything an SQS queue + DLQ + Lambda consumer is configured by, whether fed by a topic or not. */
export interface QueueEndpointSpec {
  /** Unique name: lowercase letters, digits and hyphens. Part of every resource name derived from it. */
  readonly name: string;
  /**
   * Delivery guarantee of this endpoint.
   * @default 'at-least-once'
   */
  readonly delivery?: DeliveryGuarantee;
  /**
   * Receives before a message moves to the DLQ (1–1000). Not allowed with `at-most-once`.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * Where the idempotency key is read from, first present source wins.
   * @default - the producer key attribute of the source (which the Fanout publisher always sets), the SNS MessageId
   * (topic subscriptions without raw delivery), the FIFO deduplication id (FIFO queues), the SQS messageId
   */
  readonly idempotencyKey?: readonly IdempotencyKeySource[];
  /**
   * Key sources of single event types, replacing `idempotencyKey` for them: where one business entity
   * has several events of one type (refunds of a payment), key that type by a field naming each event
   * (`{ PaymentRefunded: [{ field: 'refundId' }] }`). Fields are checked against that event's schema.
   * @default {} - every event type uses `idempotencyKey`
   */
  readonly idempotencyKeyByEvent?: { readonly [eventType: string]: readonly IdempotencyKeySource[] };
  /**
   * At-most-once only: when the backlog exceeds this many messages, the oldest are dropped.
   * @default - no shedding
   */
  readonly maxDepth?: number;
  /**
   * Seconds a message is hidden from consumers after it is sent (0–900; standard queues only).
   * @default 0
   */
  readonly deliveryDelaySeconds?: number;
  /**
   * Seconds (60–86,400) SQS reuses a KMS data key before calling KMS again
   * (`KmsDataKeyReusePeriodSeconds`), on the queue and its DLQs. Shorter means more KMS requests
   * (`fanout plan` shows the cost and the KMS quota it uses).
   * @default - not set: SQS's default, 300
   */
  readonly kmsDataKeyReuseSeconds?: number;
  /** The Lambda function that processes the queue. */
  readonly consumer: ConsumerSpec;
  /**
   * Alarm thresholds.
   * @default - stage defaults
   */
  readonly alarms?: AlarmThresholds;
}

/** A topic's subscriber: its own queue, DLQ and consumer. */
export interface SubscriptionSpec extends QueueEndpointSpec {
  /**
   * Event types this subscriber receives (compiled to a filter policy on the `eventType` attribute).
   * @default - every event type of the topic
   */
  readonly events?: readonly string[];
  /**
   * Additional filter policy, merged with the `events` filter.
   * @default - none
   */
  readonly filterPolicy?: FilterPolicy;
  /**
   * Whether `filterPolicy` applies to message attributes or to the message body.
   * @default 'attributes'
   */
  readonly filterPolicyScope?: 'attributes' | 'body';
  /**
   * Deliver the published message as the SQS body without the SNS JSON envelope.
   * @default false
   */
  readonly rawDelivery?: boolean;
  /**
   * Whether the subscriber's queue is FIFO. Must be true for FIFO topics and false for standard ones.
   * @default - same as the topic
   */
  readonly fifo?: boolean;
}

/** An SNS topic and its subscribers. */
export interface TopicSpec {
  /** Unique name: lowercase letters, digits and hyphens. */
  readonly name: string;
  /**
   * FIFO topic: ordered per message group, deduplicated.
   * @default false
   */
  readonly fifo?: boolean;
  /**
   * FIFO only: deduplicate on a SHA-256 of the body instead of an explicit deduplication id.
   * @default false
   */
  readonly contentBasedDeduplication?: boolean;
  /**
   * FIFO only: days (1–365) the topic archives messages so subscribers can replay them.
   * @default - no archive
   */
  readonly archiveRetentionDays?: number;
  /**
   * FIFO only: high-throughput mode: the topic's throughput is per message group
   * (`FifoThroughputScope: MessageGroup`) and so is each subscriber queue's
   * (`DeduplicationScope: messageGroup`, `FifoThroughputLimit: perMessageGroupId`).
   * @default false
   */
  readonly highThroughput?: boolean;
  /**
   * Largest message in bytes (body + attributes) the topic accepts: 1,024–1,048,576. Above 262,144 the
   * topic may have at most 100 subscriptions (SNS's rule; Fanout only subscribes SQS queues). Larger
   * payloads go through the claim-check.
   * @default 262144
   */
  readonly maxMessageSizeBytes?: number;
  /** Event types published to this topic. */
  readonly events: readonly string[];
  /**
   * Message attribute carrying the producer's idempotency key (what exactly-once consumers dedup on
   * first). The Fanout publisher always sets it: the caller's key, else one minted per `publish()`.
   * @default 'idempotencyKey'
   */
  readonly producerKeyAttribute?: string;
  /**
   * IAM principal ARNs (roles, users, accounts) allowed to publish, besides the stack's own.
   * @default []
   */
  readonly publishers?: readonly string[];
  /** Subscribers, each with its own queue. */
  readonly subscriptions: readonly SubscriptionSpec[];
}

/** An SQS queue with competing consumers and no topic in front (point-to-point). */
export interface WorkQueueSpec extends QueueEndpointSpec {
  /**
   * FIFO queue.
   * @default false
   */
  readonly fifo?: boolean;
  /**
   * FIFO only: high-throughput mode (`DeduplicationScope: messageGroup`,
   * `FifoThroughputLimit: perMessageGroupId`).
   * @default false
   */
  readonly highThroughput?: boolean;
  /** Event types sent to this queue. */
  readonly events: readonly string[];
  /**
   * Message attribute carrying the producer's idempotency key (set by the Fanout publisher).
   * @default 'idempotencyKey'
   */
  readonly producerKeyAttribute?: string;
  /**
   * IAM principal ARNs allowed to send, besides the stack's own.
   * @default []
   */
  readonly producers?: readonly string[];
  /**
   * Requests may ask for an answer (`publisher.request()`): the consumer sends its handler's result to
   * the request's reply queue, which must be named `<app>-<stage>-reply-*`.
   * @default false
   */
  readonly requestReply?: boolean;
}

/** The whole messaging topology of one application. */
export interface Topology {
  /** Application name, the prefix of every physical resource name. */
  readonly name: string;
  /** Event types by name. */
  readonly events: { readonly [eventType: string]: EventTypeSpec };
  readonly topics: readonly TopicSpec[];
  /** @default [] */
  readonly workQueues?: readonly WorkQueueSpec[];
  /** Tables handlers keep business state in. @default [] */
  readonly tables?: readonly TableSpec[];
  /**
   * Name of the standard topic every alarm notifies.
   * @default 'ops-alarms' (created if not declared)
   */
  readonly alarmTopic?: string;
}
