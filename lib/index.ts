/** The CDK side of Fanout: the app, the stack and the constructs it composes. Everything else in lib/ is internal. */
export { createFanoutApp, type FanoutAppOptions, synthesizeOrExplain } from './app.ts';
export { Fanout, type FanoutProps } from './fanout.ts';
export { FanoutStack, type FanoutStackProps } from './fanout-stack.ts';
export type { HandlerLocation } from './handler-files.ts';
export { FanoutEndpoint, type FanoutEndpointProps } from './fanout-endpoint.ts';
export { FanoutTopic, type FanoutTopicProps } from './topic.ts';
export { EndpointQueues, type EndpointQueuesProps } from './endpoint-queues.ts';
export { TopicSubscription, type TopicSubscriptionProps } from './topic-subscription.ts';
export { Consumer, type ConsumerProps } from './consumer.ts';
export { FanoutTables, type FanoutTablesProps } from './tables.ts';
export { PayloadBucket, type PayloadBucketProps } from './payload-bucket.ts';
export { EndpointMonitoring, type EndpointMonitoringProps } from './monitoring/endpoint-monitoring.ts';
export { FanoutDashboard, type FanoutDashboardProps } from './monitoring/dashboard.ts';
export type { LockedSchema, SchemaLock } from './schemas/schema-lock.ts';
export {
  FanoutStackError,
  HandlerFileError,
  IncompatibleSchemaError,
  InvalidConstructPropsError,
  PlacementRecordError,
  SchemaLockError,
  StatefulReplacementError,
  UnknownStageError,
} from './errors.ts';
