/**
 * Producer and operator API of Fanout (`fanout/client`), under semver. The CLI's commands have their
 * own entry (cli/index.ts) for bin/ and the console; everything else in client/ is internal.
 */
// Publishing
export { createPublisher, type EventName, type PayloadOf, type Publisher, type PublisherOptions } from './publisher.ts';
export type { PublishOptions } from './message.ts';
export { PUBLISHER_DEFAULTS } from './limits.ts';
export {
  publishEventFile,
  type EventFileOptions,
  type EventFileSource,
  type FilePublishResult,
} from './publish-file.ts';
// Where a stack is and how to reach it
export { createClients, localConnection, type AwsClients, type Connection } from './connection.ts';
export { loadStackOutputs, type OutputsSource, type StackOutputs } from './stack-outputs.ts';
export type { Destination, EndpointTarget, Target } from './target.ts';
// Operating: status, dead letters, archive replay
export { connectOperator, type OperatorContext } from './operator.ts';
export { consumerLogGroup, type FunctionLogEvent, functionLogs, type FunctionLogsOptions } from './function-logs.ts';
export { subscriberStatus, type SubscriberStatus } from './status.ts';
export { cloudWatchInsight, snapshotInsight, type StatusInsight } from './status-insight.ts';
export { peekDeadLetters, type DeadLetter } from './dlq-peek.ts';
export { type PullOptions, type PullResult, pullDeadLetters } from './dlq-pull.ts';
export { RedactionError, redactPayloads } from './dlq-redact.ts';
export {
  checkArchiveSchemas,
  checkDeadLetterSchemas,
  type SchemaCheckResult,
  type SchemaViolation,
} from './schema-check.ts';
export { replayDeadLetters, type MessageFailure, type ReplayOptions, type ReplayResult } from './dlq-replay.ts';
export { permanentFailures } from './dlq-permanent.ts';
export type { DeadLetterSource } from './dlq-source.ts';
export { purgeDeadLetters, type PurgeResult } from './dlq-purge.ts';
export {
  replayFromArchive,
  ReplayRefusedError,
  type ArchiveReplayOptions,
  type ArchiveReplayResult,
  type ReplayProgress,
} from './replay.ts';
export { DiagramSourceError } from './diagram.ts';
// Errors
export {
  AppConfigError,
  InitTargetError,
  BackpressureError,
  FanoutClientError,
  InvalidAttributeError,
  InvalidFilterError,
  InvalidInputFileError,
  MissingGroupIdError,
  PayloadTooLargeError,
  PayloadValidationError,
  PublisherClosedError,
  PublishFailedError,
  RemoteError,
  RequestReplyNotConfiguredError,
  RequestTimeoutError,
  StackOutputsError,
  UnknownEventTypeError,
  UnknownSubscriberError,
} from './errors.ts';
