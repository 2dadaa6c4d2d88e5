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
  SchemaCompatibility,
  SubscriptionSpec,
  TableSpec,
  Topology,
  TopicSpec,
  WorkQueueSpec,
} from './types.ts';
export {
  formatProblem,
  TopologyError,
  type TopologyProblem,
  TopologyValidationError,
  UnknownStageNameError,
} from './errors.ts';
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
export {
  DEFAULT_PARALLELISM,
  DEFAULT_PRODUCER_KEY_ATTRIBUTE,
  DEFAULTS,
  EVENT_TYPE_ATTRIBUTE,
  SCHEMA_COMPATIBILITY_MODES,
} from './defaults.ts';
export { EVENT_RULES } from './validate-events.ts';
export { DEFAULT_STAGE, type StageName, type StageSettings, STAGES, stageSettings } from './stages.ts';
export { LIMITS, NAME_PATTERN } from './limits.ts';
export { SQS_LIMITS } from './sqs-limits.ts';
export { DEFAULT_ALARM_TOPIC, stackName, type EndpointNames, type PhysicalNames, replyQueuePrefix } from './names.ts';
export { type AlarmKind, ALARM_KINDS, alarmName, alarmOwner } from './alarm-names.ts';
export { keySourcesOf } from './key-sources.ts';
