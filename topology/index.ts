/**
 * The topology model (`fanout`), under semver: its types, `defineTopology`, validation and resolution,
 * and the event-type attribute a producer outside Fanout sets. What the framework's folders share
 * beyond it (limits, rule tables, names) has its own entry (internal.ts); the consumer runtime reads
 * the model's leaf files through contracts/runtime.ts.
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
  TopologyError,
  type TopologyProblem,
  TopologyValidationError,
  UnknownStageNameError,
} from './errors.ts';
export { defineTopology } from './define.ts';
export { validateTopology } from './validate.ts';
export {
  type ResolvedAlarms,
  type ResolvedConsumer,
  type ResolvedEndpoint,
  type ResolvedTopic,
  type ResolvedTopology,
  resolveTopology,
} from './resolve.ts';
export { EVENT_TYPE_ATTRIBUTE } from './defaults.ts';
export type { StageName, StageSettings } from './stages.ts';
export type { EndpointNames, PhysicalNames } from './names.ts';
