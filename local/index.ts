/** What a demo or test needs to read a running stack: its output keys and the event-type attribute. */
export { OUTPUT_KEYS } from '../contracts/index.ts';
export { EVENT_TYPE_ATTRIBUTE } from '../topology/index.ts';
export { startLocalCloud, type LocalCloud, type StartLocalCloudOptions } from './cloud.ts';
export type { ListenHost } from './emulators.ts';
export { awsEnvironment, shellExports } from './aws-environment.ts';
export type { CloudEventMap } from './cloud-events.ts';
export { readStack, stackNames, type StackArtifact, type Template } from '../assembly/index.ts';
export { readRegistryFile, defaultRegistryFile, type LocalCloudRecord } from './registry-file.ts';
export type { AlarmStatus } from './alarms/evaluator.ts';
export type { QueueGauges } from './alarms/queue-sampler.ts';
export type { StateChange } from './alarms/alarm-message.ts';
export type { BatchReport } from './esm/poller.ts';
export type { InvocationResult } from './lambda/function-definition.ts';
export {
  AssemblyNotFoundError,
  AssetNotFoundError,
  DependencyCycleError,
  FunctionNotFoundError,
  HandlerRebuildError,
  IntrinsicResolutionError,
  InvalidResourceConfigError,
  LocalCloudError,
  PortInUseError,
  StackNotFoundError,
  type UnsupportedResource,
  UnsupportedExpressionError,
  UnsupportedResourceTypesError,
} from './errors.ts';
export { OutcomeCounter, type OutcomeCounts } from './demo/outcome-counter.ts';
export {
  type AppDemo,
  alarmsFired,
  type ConsumerRow,
  consumerRows,
  type DemoContext,
  type DemoReport,
  endpointQueueUrls,
  type FanoutConfig,
} from './demo/app-demo.ts';
export { renderConsumerTable } from './demo/summary.ts';
export { backlog, waitUntilDrained } from './demo/settle.ts';
export { SynthFailedError, synthesizeIfStale } from './app-synth.ts';
export { formatFunctionLog } from '../contracts/index.ts';
export { type FunctionLogStore, LOG_EVENTS_KEPT_PER_GROUP, type StoredLogEvent } from './logs/log-store.ts';
export { DYNAMODB_LOCAL_VERSION, JavaUnavailableError } from './dynamodb-local.ts';
export {
  type ReproducedLetter,
  ReproduceError,
  type ReproduceOptions,
  reproduceDeadLetters,
} from './dlq-reproduce.ts';
export { type AppWatcher, type WatchAppOptions, watchApp } from './watch/app-watcher.ts';
export type { WatchedFunction } from './watch/function-sources.ts';
export { formatWatchEvent, type WatchEvent } from './watch/watch-events.ts';
