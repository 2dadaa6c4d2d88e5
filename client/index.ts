/** Producer and operator API of Fanout. The `fanout` CLI (bin/fanout.ts) is a thin layer over it. */
export { createPublisher, type EventName, type PayloadOf, type Publisher, type PublisherOptions } from './publisher.ts';
export type { PublishOptions } from './message.ts';
export { createClients, localConnection, type AwsClients, type Connection } from './connection.ts';
export { loadStackOutputs, StackOutputs, type OutputsSource } from './stack-outputs.ts';
export { Target, type Destination, type EndpointTarget } from './target.ts';
export { connectOperator, type OperatorContext } from './operator.ts';
export { subscriberStatus, type SubscriberStatus } from './status.ts';
export { cloudWatchInsight, snapshotInsight, type StatusInsight } from './status-insight.ts';
export { peekDeadLetters, type DeadLetter } from './dlq-peek.ts';
export { replayDeadLetters, type MessageFailure, type ReplayOptions, type ReplayResult } from './dlq-replay.ts';
export { parseFilter } from './message-filter.ts';
export { publishEventFile, parseEventFile, lineRanges, type FilePublishResult } from './publish-file.ts';
export { resolveMessageBody, s3FetchObject, storeClaimCheck } from './claim-check.ts';
export { PUBLISHER_DEFAULTS } from './limits.ts';
export * from './errors.ts';
