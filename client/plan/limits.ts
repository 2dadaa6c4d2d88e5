/**
 * AWS quotas the plan checks the stack against, with where they are documented. Defaults of a new
 * account; most can be raised in Service Quotas (the plan says which). `modelled` marks a figure
 * read from AWS's documentation that the plan cannot confirm for a given account: check it.
 */
export interface QuotaSource {
  readonly doc: string;
  /** The value is the documented default but varies (region, account) or is inferred from the docs. */
  readonly modelled: boolean;
}

const BIG_THREE = new Set(['us-east-1', 'us-west-2', 'eu-west-1']);

export const LIMIT_SOURCES = {
  snsPublish: { doc: 'https://docs.aws.amazon.com/general/latest/gr/sns.html', modelled: false },
  snsFifo: { doc: 'https://docs.aws.amazon.com/sns/latest/dg/fifo-topic-code-examples.html', modelled: true },
  sqsFifo: {
    doc: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html',
    modelled: true,
  },
  lambdaConcurrency: {
    doc: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
    modelled: false,
  },
  esmScaling: { doc: 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html', modelled: true },
  dynamodbPartition: {
    doc: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html',
    modelled: false,
  },
  dynamodbTable: {
    doc: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html',
    modelled: false,
  },
  kms: { doc: 'https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html', modelled: true },
  kmsSqs: {
    doc: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html',
    modelled: true,
  },
} as const satisfies Record<string, QuotaSource>;

export interface RegionLimits {
  /** SNS Publish (standard topics): messages per second per account and region. */
  readonly snsStandardPublishPerSecond: number;
  /** SNS FIFO topic without high throughput: publish API calls per second (10 messages per batch call). */
  readonly snsFifoTopicApiPerSecond: number;
  /** SNS FIFO topic in high-throughput mode (FifoThroughputScope: MessageGroup): messages per second. */
  readonly snsFifoHighThroughputPerSecond: number;
  /** SNS FIFO: messages per second per message group (both modes). */
  readonly snsFifoGroupPerSecond: number;
  /** SQS FIFO queue without high throughput: API calls per second per action (10 messages per batch call). */
  readonly sqsFifoApiPerSecond: number;
  /** SQS FIFO queue in high-throughput mode: API calls per second per action. */
  readonly sqsFifoHighThroughputApiPerSecond: number;
  /** SQS FIFO: messages per second per message group. */
  readonly sqsFifoGroupPerSecond: number;
  /** Lambda concurrent executions per account and region. */
  readonly lambdaAccountConcurrency: number;
  /** SQS event source (standard queue, on-demand): most concurrent invocations per mapping, and added per minute. */
  readonly esmStandardMaxConcurrency: number;
  readonly esmScaleUpPerMinute: number;
  /** SQS event source: pollers it starts with (on-demand). */
  readonly esmInitialPollers: number;
  /** Provisioned mode: concurrent invocations one event poller drives. */
  readonly esmInvocationsPerPoller: number;
  /** DynamoDB: write and read request units per second on one partition (a hot key). */
  readonly dynamodbPartitionWritePerSecond: number;
  readonly dynamodbPartitionReadPerSecond: number;
  /** DynamoDB on-demand: default table-level maximum write and read request units per second. */
  readonly dynamodbTableWritePerSecond: number;
  readonly dynamodbTableReadPerSecond: number;
  /** KMS symmetric cryptographic operations per second, shared by the whole account in the region. */
  readonly kmsSymmetricPerSecond: number;
}

const KMS_20K = new Set(['ap-northeast-1', 'ap-southeast-1', 'ap-southeast-2', 'eu-central-1']);

export function regionLimits(region: string): RegionLimits {
  const big = BIG_THREE.has(region);
  return {
    snsStandardPublishPerSecond: region === 'us-east-1' ? 30_000 : big ? 9_000 : 1_500,
    snsFifoTopicApiPerSecond: 300,
    snsFifoHighThroughputPerSecond: big ? 30_000 : 9_000,
    snsFifoGroupPerSecond: 300,
    sqsFifoApiPerSecond: 300,
    sqsFifoHighThroughputApiPerSecond: big ? 70_000 : 9_000,
    sqsFifoGroupPerSecond: 300,
    lambdaAccountConcurrency: 1_000,
    esmStandardMaxConcurrency: 1_250,
    esmScaleUpPerMinute: 300,
    esmInitialPollers: 5,
    esmInvocationsPerPoller: 10,
    dynamodbPartitionWritePerSecond: 1_000,
    dynamodbPartitionReadPerSecond: 3_000,
    dynamodbTableWritePerSecond: 40_000,
    dynamodbTableReadPerSecond: 40_000,
    kmsSymmetricPerSecond: big ? 50_000 : KMS_20K.has(region) ? 20_000 : 5_500,
  };
}

/** SNS and SQS bill each 64 KB chunk of a request as one request. */
export const BILLED_CHUNK_BYTES = 65_536;
/** Seconds in a month as AWS's pricing calculator counts it (730 hours). */
export const SECONDS_PER_MONTH = 730 * 3600;
/** Event source mapping metrics (MetricsConfig EventCount) an SQS mapping publishes. */
export const ESM_EVENT_COUNT_METRICS = 5;
