import { SQS_LIMITS } from './sqs-limits.ts';

/** AWS service limits the topology is validated against. */
export const LIMITS = {
  sqsQueueNameLength: 80,
  snsTopicNameLength: 256,
  lambdaFunctionNameLength: 64,
  dynamoTableNameLength: 255,
  fifoBatchSizeMax: 10,
  standardBatchSizeMax: 10_000,
  batchSizeWithoutWindowMax: 10,
  minWindowForLargeBatchSeconds: 1,
  batchingWindowMaxSeconds: 300,
  maxConcurrencyMin: 2,
  maxConcurrencyMax: 1000,
  maxReceiveCountMin: 1,
  maxReceiveCountMax: 1000,
  filterPolicyKeysMax: 5,
  filterPolicyCombinationsMax: 150,
  functionTimeoutMaxSeconds: 900,
  functionMemoryMinMb: 128,
  functionMemoryMaxMb: 10_240,
  deliveryDelayMaxSeconds: 900,
  archiveRetentionMaxDays: 365,
  /** Days a DLQ keeps its messages: SQS's longest retention, the most time to look and replay. */
  deadLetterRetentionDays: 14,
  visibilityTimeoutMaxSeconds: SQS_LIMITS.visibilityTimeoutMaxSeconds,
  /** AWS recommends a visibility timeout of at least six times the function timeout. */
  visibilityPerFunctionTimeout: 6,
  /** Lambda ESM provisioned mode on SQS: minimum pollers 2–200, maximum pollers 2–2,000. */
  provisionedPollersMin: 2,
  minimumPollersMax: 200,
  maximumPollersMax: 2000,
  /** Filters per event source mapping (Lambda's default quota) and characters per filter pattern. */
  esmFiltersMax: 5,
  esmFilterPatternCharsMax: 4096,
  /** SNS message size: 256 KiB unless the topic's MaximumMessageSize raises it, up to 1 MiB. */
  snsMessageBytesDefault: 262_144,
  snsMessageBytesMin: 1024,
  snsMessageBytesMax: 1_048_576,
  /** Subscriptions a topic may have when its MaximumMessageSize is above 256 KiB. */
  snsLargeMessageSubscriptionsMax: 100,
  /** SQS message size (body + attributes) since August 2025; Fanout sets it on every queue. */
  sqsMessageBytesMax: SQS_LIMITS.messageBytesMax,
  batchEntriesMax: SQS_LIMITS.batchEntriesMax,
  /** Total size of one SNS PublishBatch (unless the topic's MaximumMessageSize is larger) and of one SQS SendMessageBatch. */
  snsBatchBytesMax: 262_144,
  sqsBatchBytesMax: 1_048_576,
  /** Characters of a message attribute name. */
  attributeNameLengthMax: 256,
  /** Characters of a FIFO message group or deduplication id. */
  fifoIdLengthMax: 128,
  /** Longest ReceiveMessage long poll. */
  receiveWaitSecondsMax: 20,
  /** SQS KmsDataKeyReusePeriodSeconds: 60 s to 24 h; 300 when not set. */
  kmsDataKeyReuseMinSeconds: 60,
  kmsDataKeyReuseMaxSeconds: 86_400,
  kmsDataKeyReuseDefaultSeconds: 300,
} as const;

export const NAME_PATTERN = /^[a-z][a-z0-9-]*[a-z0-9]$/;
export const STAGE_PATTERN = /^[a-z][a-z0-9]{0,9}$/;
