import { DEFAULT_PARALLELISM } from './defaults.ts';
import { DEFAULTS } from './defaults.ts';
import { DEFAULT_PRODUCER_KEY_ATTRIBUTE } from './defaults.ts';
import { endpointFacts, type EndpointFacts } from './endpoint-facts.ts';
import { LIMITS } from './limits.ts';
import { DEAD_LETTER_RESERVE_BYTES } from './sqs-limits.ts';
import { subscriptionFilter } from './filter-policy.ts';
import { defaultKeySources } from './key-sources.ts';
import { DEFAULT_ALARM_TOPIC, physicalNames, type PhysicalNames } from './names.ts';
import { stageSettings, type StageSettings } from './stages.ts';
import type {
  DeliveryGuarantee,
  EventFilterPattern,
  FilterPolicy,
  IdempotencyKeySource,
  SubscriptionSpec,
  TableSpec,
  Topology,
  TopicSpec,
} from './types.ts';
import { validateTopology } from './validate.ts';

export interface ResolvedConsumer {
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  readonly maxConcurrency: number | undefined;
  /** ESM provisioned mode, when set. */
  readonly pollers: { readonly min: number; readonly max: number } | undefined;
  readonly filters: readonly EventFilterPattern[];
  readonly eventCountMetrics: boolean;
  readonly parallelism: number;
  readonly tables: readonly string[];
  readonly conditionChecks: readonly string[];
}

export interface ResolvedAlarms {
  readonly maxDepth: number | false;
  readonly maxAgeSeconds: number | false;
  readonly maxErrors: number | false;
  readonly maxThrottles: number | false;
  /** Runtime-reported failed records per minute (every endpoint). */
  readonly maxFailedRecords: number | false;
  /** Records the runtime dead-lettered per minute; false on an at-most-once endpoint (it has no DLQ). */
  readonly maxDeadLetteredRecords: number | false;
  /** Records dropped per minute; false unless the endpoint is at-most-once. */
  readonly maxDroppedRecords: number | false;
  readonly maxTimeToDrainSeconds: number | false;
  /** False unless the queue is a fair queue. */
  readonly maxQuietGroupAgeSeconds: number | false;
}

/** A queue + DLQ + consumer with every default applied. */
export interface ResolvedEndpoint {
  readonly kind: 'subscription' | 'work-queue';
  readonly name: string;
  /** `topic/subscription` or the work queue name, for messages. */
  readonly path: string;
  /** The topic feeding the queue, for subscriptions. */
  readonly topic: string | undefined;
  readonly fifo: boolean;
  /**
   * Records arrive wrapped in the SNS JSON envelope: topic subscriptions without raw delivery.
   * False for work queues and raw delivery.
   */
  readonly snsEnvelope: boolean;
  /** FIFO high-throughput mode (per message group deduplication and throughput). */
  readonly highThroughput: boolean;
  /**
   * An SQS fair queue: a standard queue receiving an event type with `tenantBy`, whose messages the
   * publisher sends with the tenant as MessageGroupId.
   */
  readonly fairQueue: boolean;
  /** MaximumMessageSize of the queue: SQS's largest, less `DEAD_LETTER_RESERVE_BYTES` when it has a DLQ. */
  readonly maxMessageSizeBytes: number;
  readonly events: readonly string[];
  /** Message attribute carrying the producer's idempotency key (the topic's, for subscriptions). */
  readonly producerKeyAttribute: string;
  readonly delivery: DeliveryGuarantee;
  /** Every delivery but at-most-once has a DLQ (and the runtime dead-letters into it). */
  readonly hasDeadLetterQueue: boolean;
  /** Undefined when the endpoint has no DLQ. */
  readonly maxReceiveCount: number | undefined;
  readonly idempotencyKey: readonly IdempotencyKeySource[];
  /** Key sources of the event types that do not use `idempotencyKey` (see `keySourcesOf`). */
  readonly idempotencyKeyByEvent: Readonly<Record<string, readonly IdempotencyKeySource[]>>;
  /**
   * The consumer keeps idempotency records: exactly-once (one per message, with its result) and
   * at-most-once (a claim per key, so no copy of a message runs twice).
   */
  readonly idempotencyRecords: boolean;
  /**
   * Hours an idempotency record counts after completion: as long as another copy of the message can
   * still arrive (`messageLifetimeDays`), so no copy ever finds its record gone.
   */
  readonly idempotencyTtlHours: number;
  readonly maxDepth: number | undefined;
  readonly deliveryDelaySeconds: number;
  /** KmsDataKeyReusePeriodSeconds of the queue and its DLQs; undefined leaves SQS's default (300). */
  readonly kmsDataKeyReuseSeconds: number | undefined;
  readonly visibilityTimeoutSeconds: number;
  readonly filterPolicy: FilterPolicy | undefined;
  readonly filterPolicyScope: 'attributes' | 'body';
  readonly rawDelivery: boolean;
  /** Consumers answer requests on `<prefix>-reply-*` queues. */
  readonly requestReply: boolean;
  /** IAM principal ARNs allowed to send to the queue besides the stack's own (work queues only). */
  readonly producers: readonly string[];
  readonly consumer: ResolvedConsumer;
  readonly alarms: ResolvedAlarms;
  readonly names: PhysicalNames['endpoints'][string];
}

export interface ResolvedTopic {
  readonly name: string;
  readonly fifo: boolean;
  readonly contentBasedDeduplication: boolean;
  readonly archiveRetentionDays: number | undefined;
  readonly highThroughput: boolean;
  /** MaximumMessageSize of the topic. */
  readonly maxMessageSizeBytes: number;
  readonly events: readonly string[];
  /** Message attribute carrying the producer's idempotency key. */
  readonly producerKeyAttribute: string;
  readonly publishers: readonly string[];
  readonly physicalName: string;
  readonly subscriptions: readonly string[];
}

export interface ResolvedTopology {
  readonly name: string;
  readonly stage: StageSettings;
  readonly prefix: string;
  readonly topics: readonly ResolvedTopic[];
  readonly endpoints: readonly ResolvedEndpoint[];
  readonly tables: readonly (TableSpec & { readonly physicalName: string })[];
  readonly alarmTopic: ResolvedTopic;
  /** Physical name of the stack's idempotency table. */
  readonly idempotencyTable: string;
  /** Days a claim-check payload is kept: the longest `messageLifetimeDays` of any endpoint. */
  readonly payloadRetentionDays: number;
  readonly source: Topology;
}

function resolveEndpoint(
  facts: EndpointFacts,
  filter: { policy: FilterPolicy | undefined; scope: 'attributes' | 'body' },
  topology: Topology,
  stage: StageSettings,
  names: PhysicalNames,
): ResolvedEndpoint {
  const { spec } = facts;
  const delivery = spec.delivery ?? DEFAULTS.delivery;
  const c = spec.consumer;
  const consumer: ResolvedConsumer = {
    handler: c.handler,
    timeoutSeconds: c.timeoutSeconds ?? DEFAULTS.timeoutSeconds,
    memoryMb: c.memoryMb ?? DEFAULTS.memoryMb,
    batchSize: c.batchSize ?? DEFAULTS.batchSize,
    batchingWindowSeconds: c.batchingWindowSeconds ?? DEFAULTS.batchingWindowSeconds,
    maxConcurrency: c.maxConcurrency,
    pollers: c.pollers,
    filters: c.filters ?? [],
    eventCountMetrics: c.eventCountMetrics ?? true,
    parallelism: c.parallelism ?? Math.min(c.batchSize ?? DEFAULTS.batchSize, DEFAULT_PARALLELISM),
    tables: c.tables ?? [],
    conditionChecks: c.conditionChecks ?? [],
  };
  const a = spec.alarms ?? {};
  const fairQueue = !facts.fifo && tenantTagged(topology, facts.events);
  const maxAgeSeconds = a.maxAgeSeconds ?? stage.alarms.maxAgeSeconds;
  const hasDeadLetterQueue = delivery !== 'at-most-once';
  return {
    kind: facts.kind,
    name: spec.name,
    path: facts.topic ? `${facts.topic.name}/${spec.name}` : spec.name,
    topic: facts.topic?.name,
    fifo: facts.fifo,
    snsEnvelope: facts.snsEnvelope,
    highThroughput: facts.highThroughput,
    fairQueue,
    maxMessageSizeBytes: hasDeadLetterQueue
      ? LIMITS.sqsMessageBytesMax - DEAD_LETTER_RESERVE_BYTES
      : LIMITS.sqsMessageBytesMax,
    events: facts.events,
    producerKeyAttribute: facts.producerKeyAttribute,
    delivery,
    hasDeadLetterQueue,
    maxReceiveCount: hasDeadLetterQueue ? (spec.maxReceiveCount ?? DEFAULTS.maxReceiveCount) : undefined,
    idempotencyKey: spec.idempotencyKey ?? defaultKeySources(facts.producerKeyAttribute, facts.snsEnvelope, facts.fifo),
    idempotencyKeyByEvent: spec.idempotencyKeyByEvent ?? {},
    idempotencyRecords: delivery !== 'at-least-once',
    idempotencyTtlHours: messageLifetimeDays(facts.topic, stage) * 24,
    maxDepth: spec.maxDepth,
    deliveryDelaySeconds: spec.deliveryDelaySeconds ?? DEFAULTS.deliveryDelaySeconds,
    kmsDataKeyReuseSeconds: spec.kmsDataKeyReuseSeconds,
    visibilityTimeoutSeconds: Math.min(
      LIMITS.visibilityPerFunctionTimeout * consumer.timeoutSeconds + consumer.batchingWindowSeconds,
      LIMITS.visibilityTimeoutMaxSeconds,
    ),
    filterPolicy: filter.policy,
    filterPolicyScope: filter.scope,
    rawDelivery: facts.rawDelivery,
    requestReply: facts.requestReply,
    producers: facts.producers,
    consumer,
    alarms: {
      maxDepth: a.maxDepth ?? stage.alarms.maxDepth,
      maxAgeSeconds,
      maxErrors: a.maxErrors ?? stage.alarms.maxErrors,
      maxThrottles: a.maxThrottles ?? stage.alarms.maxThrottles,
      maxFailedRecords: a.maxFailedRecords ?? stage.alarms.maxFailedRecords,
      maxDeadLetteredRecords: hasDeadLetterQueue
        ? (a.maxDeadLetteredRecords ?? DEFAULTS.maxDeadLetteredRecords)
        : false,
      maxDroppedRecords: hasDeadLetterQueue ? false : (a.maxDroppedRecords ?? stage.alarms.maxDroppedRecords),
      maxTimeToDrainSeconds: a.maxTimeToDrainSeconds ?? false,
      maxQuietGroupAgeSeconds: fairQueue ? (a.maxQuietGroupAgeSeconds ?? maxAgeSeconds) : false,
    },
    names: names.endpoints[spec.name]!,
  };
}

function resolveTopic(topic: TopicSpec, names: PhysicalNames): ResolvedTopic {
  return {
    name: topic.name,
    fifo: topic.fifo ?? false,
    contentBasedDeduplication: topic.contentBasedDeduplication ?? false,
    archiveRetentionDays: topic.archiveRetentionDays,
    highThroughput: topic.highThroughput ?? false,
    maxMessageSizeBytes: topic.maxMessageSizeBytes ?? LIMITS.snsMessageBytesDefault,
    events: topic.events,
    producerKeyAttribute: topic.producerKeyAttribute ?? DEFAULT_PRODUCER_KEY_ATTRIBUTE,
    publishers: topic.publishers ?? [],
    physicalName: names.topics[topic.name]!,
    subscriptions: topic.subscriptions.map((s) => s.name),
  };
}

/**
 * Validates a topology (throwing `TopologyValidationError` with every problem) and applies
 * every default, so that consumers of the result never repeat a default.
 */
export function resolveTopology(topology: Topology, stageName: string): ResolvedTopology {
  const stage = stageSettings(stageName);
  const facts = endpointFacts(topology);
  validateTopology(topology, stageName, facts);
  const names = physicalNames(topology, stageName, facts);
  const endpoints = facts.map((fact) =>
    resolveEndpoint(
      fact,
      fact.topic
        ? subscriptionFilter(fact.spec as SubscriptionSpec, fact.topic)
        : { policy: undefined, scope: 'attributes' },
      topology,
      stage,
      names,
    ),
  );
  const alarmTopicName = topology.alarmTopic ?? DEFAULT_ALARM_TOPIC;
  const declared = topology.topics.find((t) => t.name === alarmTopicName);
  const alarmTopic = resolveTopic(declared ?? { name: alarmTopicName, events: [], subscriptions: [] }, names);
  return {
    name: topology.name,
    stage,
    prefix: names.prefix,
    topics: [...topology.topics.map((t) => resolveTopic(t, names)), ...(declared ? [] : [alarmTopic])],
    endpoints,
    tables: (topology.tables ?? []).map((t) => ({ ...t, physicalName: names.tables[t.name]! })),
    alarmTopic,
    idempotencyTable: names.idempotencyTable,
    payloadRetentionDays: payloadRetentionDays(topology, stage),
    source: topology,
  };
}

/**
 * Days after publishing that a copy of a message may still reach a consumer: a replay from the
 * topic's archive, then its queue's retention, then its DLQ's, plus a day for the replays themselves.
 */
function messageLifetimeDays(topic: TopicSpec | undefined, stage: StageSettings): number {
  return (topic?.archiveRetentionDays ?? 0) + stage.messageRetentionDays + LIMITS.deadLetterRetentionDays + 1;
}

function payloadRetentionDays(topology: Topology, stage: StageSettings): number {
  return Math.max(messageLifetimeDays(undefined, stage), ...topology.topics.map((t) => messageLifetimeDays(t, stage)));
}

function tenantTagged(topology: Topology, events: readonly string[]): boolean {
  return events.some((event) => topology.events[event]?.tenantBy !== undefined);
}
