export { startLocalCloud, type LocalCloud, type StartLocalCloudOptions } from './cloud.ts';
export { readStack, stackNames, type StackArtifact, type Template } from './assembly.ts';
export { readRegistryFile, defaultRegistryFile, type LocalCloudRecord } from './registry-file.ts';
export type { AlarmStatus } from './alarms/evaluator.ts';
export type { StateChange } from './alarms/alarm-message.ts';
export type { BatchReport } from './esm/poller.ts';
export type { InvocationResult } from './lambda/function-definition.ts';
export * from './errors.ts';
