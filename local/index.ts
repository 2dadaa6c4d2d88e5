/**
 * The local cloud (`fanout/local`), under semver: start it from a cdk.out, watch an app's sources,
 * and the helpers an app's demo (`fanout.config.ts`) uses. What bin/, console/ and testing/ share
 * beyond it has its own entry (internal.ts).
 */
export { OUTPUT_KEYS } from '../contracts/index.ts';
export { startLocalCloud, type LocalCloud, type StartLocalCloudOptions } from './cloud.ts';
export type { ListenHost } from './emulators.ts';
export type { CloudEventMap } from './cloud-events.ts';
export type { StackArtifact, Template } from '../assembly/index.ts';
export type { LocalCloudRecord } from './registry-file.ts';
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
export type { OutcomeCounter, OutcomeCounts } from './demo/outcome-counter.ts';
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
export { waitUntilDrained } from './demo/settle.ts';
export { SynthFailedError } from './app-synth.ts';
export type { FunctionLogStore, StoredLogEvent } from './logs/log-store.ts';
export { JavaUnavailableError } from './dynamodb-local.ts';
export { type AppWatcher, type WatchAppOptions, watchApp } from './watch/app-watcher.ts';
export type { WatchedFunction } from './watch/function-sources.ts';
export type { WatchEvent } from './watch/watch-events.ts';
