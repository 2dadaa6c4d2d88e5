/**
 * The topology's public API: the model, its validation and resolution, and the contracts the stack,
 * the clients and the local cloud share. The consumer runtime has its own smaller entry (runtime.ts).
 */
export type {
  AlarmThresholds,
  ConsumerSpec,
  DeliveryGuarantee,
  EventFilterPattern,
  EventTypeSpec,
  FilterPolicy,
  FilterPolicyValue,
  FilterRule,
  IdempotencyKeySource,
  QueueEndpointSpec,
  SubscriptionSpec,
  TableSpec,
  Topology,
  TopicSpec,
  WorkQueueSpec,
} from './types.ts';
export { formatProblem, type TopologyProblem, TopologyValidationError } from './errors.ts';
export { defineTopology } from './define.ts';
export { validateTopology } from './validate.ts';
export { TOPIC_RULES } from './validate-topic-settings.ts';
export { CONSUMER_RULES } from './validate-consumer.ts';
export {
  type ResolvedAlarms,
  type ResolvedConsumer,
  type ResolvedEndpoint,
  type ResolvedTopic,
  type ResolvedTopology,
  resolveTopology,
} from './resolve.ts';
export { DEFAULTS } from './defaults.ts';
export { type StageName, type StageSettings, STAGES, stageSettings } from './stages.ts';
export { LIMITS, NAME_PATTERN } from './limits.ts';
export { SQS_LIMITS } from './sqs-limits.ts';
export { DEFAULT_ALARM_TOPIC, type EndpointNames, type PhysicalNames, replyQueuePrefix } from './names.ts';
export { type AlarmKind, ALARM_KINDS, alarmName, alarmOwner } from './alarm-names.ts';
export {
  CONSUMER_ENV,
  CONSUMER_METRICS,
  type ConsumerSource,
  EVENT_TYPE_ATTRIBUTE,
  formatKeySources,
  formatKeySourcesByEvent,
  tableEnvName,
} from './consumer-env.ts';
export { keySourcesOf } from './key-sources.ts';
export { IDEMPOTENCY_RECORD, IDEMPOTENCY_STATUS } from './idempotency-record.ts';
export { DEFAULT_PRODUCER_KEY_ATTRIBUTE, fifoDeduplicationId, idempotencyKeyPrefix } from './message-identity.ts';
export {
  CLAIM_CHECK,
  type ClaimCheckPointer,
  claimCheckBody,
  type FetchObject,
  readClaimCheckPointer,
  resolveClaimCheck,
  sha256Hex,
} from './claim-check.ts';
export {
  decodeDeadLetterReason,
  isDeadLetterAttribute,
  MESSAGE_ATTRIBUTES_MAX,
  PUBLISHED_ATTRIBUTES_MAX,
} from './dead-letter.ts';
export { REQUEST_REPLY, type ReplyBody, replyObjectKeyPrefix } from './request-reply.ts';
export {
  ARCHIVE_POLICY_ATTRIBUTE,
  BEGINNING_ARCHIVE_TIME_ATTRIBUTE,
  REPLAY_POLICY_ATTRIBUTE,
  REPLAY_STATUS_ATTRIBUTE,
  REPLAY_STATUSES,
  REPLAYED_FIELD,
  type ReplayPolicy,
  type ReplayStatusValue,
  replayPolicy,
} from './replay.ts';
export { type LoggedOutcomeKind, OUTCOME_KINDS, type OutcomeLogLine, parseOutcomeLine } from './outcome-log.ts';
export { endpointStackIds, OUTPUT_KEYS, stackName, stackNameOfId } from './outputs.ts';
export { buildManifest, type FanoutManifest } from './manifest.ts';
export {
  type GraphEdge,
  type GraphNode,
  type GraphTemplate,
  type TopologyGraph,
  templateGraph,
} from './template-graph.ts';
export { LOCAL_REGISTRY, type LocalRegistry, type LocalStatusSnapshot } from './local-registry.ts';
