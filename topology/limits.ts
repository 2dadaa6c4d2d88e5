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
  visibilityTimeoutMaxSeconds: 43_200,
  /** AWS recommends a visibility timeout of at least six times the function timeout. */
  visibilityPerFunctionTimeout: 6,
} as const;

export const NAME_PATTERN = /^[a-z][a-z0-9-]*[a-z0-9]$/;
export const STAGE_PATTERN = /^[a-z][a-z0-9]{0,9}$/;
