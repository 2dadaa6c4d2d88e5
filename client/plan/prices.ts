import { PlanInputError } from './errors.ts';

/**
 * List prices (on-demand, no free tier subtracted, no volume tiers) of what the stack is billed for,
 * by region. Written from the AWS pricing pages on the date below: check them before relying on
 * a figure, and update `asOf` with every change.
 */
export const PRICE_TABLE = {
  asOf: '2025-06-01',
  sources: [
    'https://aws.amazon.com/sns/pricing/',
    'https://aws.amazon.com/sqs/pricing/',
    'https://aws.amazon.com/lambda/pricing/',
    'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    'https://aws.amazon.com/kms/pricing/',
    'https://aws.amazon.com/s3/pricing/',
    'https://aws.amazon.com/cloudwatch/pricing/',
  ],
} as const;

export interface RegionPrices {
  /** USD per million standard-topic publish requests (each 64 KB chunk of a request is one). */
  readonly snsStandardPublishPerMillion: number;
  /** USD per million FIFO-topic publish requests (64 KB chunks) and per GB of their payload. */
  readonly snsFifoPublishPerMillion: number;
  readonly snsFifoPayloadPerGb: number;
  /** USD per million FIFO-topic deliveries to SQS FIFO queues and per GB delivered (standard topics deliver to SQS for free). */
  readonly snsFifoDeliveryPerMillion: number;
  readonly snsFifoDeliveryPayloadPerGb: number;
  /** USD per million SQS requests (64 KB chunks), standard and FIFO queues. */
  readonly sqsStandardPerMillion: number;
  readonly sqsFifoPerMillion: number;
  /** USD per million Lambda invocations and per GB-second of duration, by architecture. */
  readonly lambdaRequestsPerMillion: number;
  readonly lambdaGbSecondX86: number;
  readonly lambdaGbSecondArm64: number;
  /** USD per million DynamoDB on-demand write and read request units (prices of November 2024). */
  readonly dynamodbWritePerMillion: number;
  readonly dynamodbReadPerMillion: number;
  /** USD per 10,000 KMS requests and per customer managed key-month. */
  readonly kmsPerTenThousand: number;
  readonly kmsKeyPerMonth: number;
  /** USD per 1,000 S3 Standard PUT and GET requests and per GB-month stored. */
  readonly s3PutPerThousand: number;
  readonly s3GetPerThousand: number;
  readonly s3StoragePerGbMonth: number;
  /** USD per standard-resolution alarm metric, per custom metric and per dashboard, each per month. */
  readonly cloudwatchAlarmMetricPerMonth: number;
  readonly cloudwatchCustomMetricPerMonth: number;
  readonly cloudwatchDashboardPerMonth: number;
}

const US_EAST_1: RegionPrices = {
  snsStandardPublishPerMillion: 0.5,
  snsFifoPublishPerMillion: 0.3,
  snsFifoPayloadPerGb: 0.017,
  snsFifoDeliveryPerMillion: 0.01,
  snsFifoDeliveryPayloadPerGb: 0.001,
  sqsStandardPerMillion: 0.4,
  sqsFifoPerMillion: 0.5,
  lambdaRequestsPerMillion: 0.2,
  lambdaGbSecondX86: 0.0000166667,
  lambdaGbSecondArm64: 0.0000133334,
  dynamodbWritePerMillion: 0.625,
  dynamodbReadPerMillion: 0.125,
  kmsPerTenThousand: 0.03,
  kmsKeyPerMonth: 1,
  s3PutPerThousand: 0.005,
  s3GetPerThousand: 0.0004,
  s3StoragePerGbMonth: 0.023,
  cloudwatchAlarmMetricPerMonth: 0.1,
  cloudwatchCustomMetricPerMonth: 0.3,
  cloudwatchDashboardPerMonth: 3,
};

export const REGION_PRICES: Readonly<Record<string, RegionPrices>> = {
  'us-east-1': US_EAST_1,
  'us-west-2': US_EAST_1,
  'eu-west-1': { ...US_EAST_1, dynamodbWritePerMillion: 0.7068, dynamodbReadPerMillion: 0.1414 },
  'eu-central-1': {
    ...US_EAST_1,
    dynamodbWritePerMillion: 0.7625,
    dynamodbReadPerMillion: 0.1525,
    s3PutPerThousand: 0.0054,
    s3GetPerThousand: 0.00043,
    s3StoragePerGbMonth: 0.0245,
  },
  'ap-southeast-2': {
    ...US_EAST_1,
    dynamodbWritePerMillion: 0.7116,
    dynamodbReadPerMillion: 0.1423,
    s3PutPerThousand: 0.0055,
    s3GetPerThousand: 0.00044,
    s3StoragePerGbMonth: 0.025,
    cloudwatchDashboardPerMonth: 3,
  },
};

export function regionPrices(region: string): RegionPrices {
  const prices = REGION_PRICES[region];
  if (!prices)
    throw new PlanInputError(
      `--region '${region}' has no price list: known regions are ${Object.keys(REGION_PRICES).join(', ')}. Fix: pass one of them, or add the region to client/plan/prices.ts.`,
    );
  return prices;
}

export const priceNotice = () =>
  `prices as of ${PRICE_TABLE.asOf} from ${PRICE_TABLE.sources.join(', ')}; check before relying on them (free tiers and volume discounts not subtracted)`;
