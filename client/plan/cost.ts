import { CONSUMER_METRICS } from '../../contracts/index.ts';
import { ESM_EVENT_COUNT_METRICS, SECONDS_PER_MONTH } from './limits.ts';
import type { RegionPrices } from './prices.ts';
import type { Billing, RequestLine } from './requests.ts';
import type { TemplateFacts } from './template.ts';

/** USD per unit of a line's quantity (per request, GB, GB-second; per GB held per second for storage). */
export function unitPrice(billing: Billing, p: RegionPrices): number {
  const perMillion = (usd: number) => usd / 1e6;
  switch (billing) {
    case 'snsStandardPublish':
      return perMillion(p.snsStandardPublishPerMillion);
    case 'snsFifoPublish':
      return perMillion(p.snsFifoPublishPerMillion);
    case 'snsFifoPayloadGb':
      return p.snsFifoPayloadPerGb;
    case 'snsFifoDelivery':
      return perMillion(p.snsFifoDeliveryPerMillion);
    case 'snsFifoDeliveryGb':
      return p.snsFifoDeliveryPayloadPerGb;
    case 'sqsStandard':
      return perMillion(p.sqsStandardPerMillion);
    case 'sqsFifo':
      return perMillion(p.sqsFifoPerMillion);
    case 'lambdaRequests':
      return perMillion(p.lambdaRequestsPerMillion);
    case 'lambdaGbSecondArm64':
      return p.lambdaGbSecondArm64;
    case 'lambdaGbSecondX86':
      return p.lambdaGbSecondX86;
    case 'dynamodbWrite':
      return perMillion(p.dynamodbWritePerMillion);
    case 'dynamodbRead':
      return perMillion(p.dynamodbReadPerMillion);
    case 'kms':
      return p.kmsPerTenThousand / 10_000;
    case 's3Put':
      return p.s3PutPerThousand / 1000;
    case 's3Get':
      return p.s3GetPerThousand / 1000;
    case 's3StorageGb':
      return p.s3StoragePerGbMonth / SECONDS_PER_MONTH;
    case 'free':
      return 0;
  }
}

/** USD per second of a line. */
export const lineCost = (l: RequestLine, p: RegionPrices) => l.perSecond * unitPrice(l.billing, p);

export interface FixedCost {
  readonly item: string;
  readonly count: number;
  readonly monthly: number;
}

/** What the stack costs per month whatever the traffic: keys, alarms, metrics, dashboards (from the template). */
export function fixedCosts(facts: TemplateFacts, p: RegionPrices): FixedCost[] {
  const consumers = facts.mappings.size;
  const customMetrics =
    consumers * Object.keys(CONSUMER_METRICS.names).length +
    [...facts.mappings.values()].filter((m) => m.eventCountMetrics).length * ESM_EVENT_COUNT_METRICS;
  return [
    { item: 'KMS customer managed keys', count: facts.kmsKeys, monthly: facts.kmsKeys * p.kmsKeyPerMonth },
    {
      item: `CloudWatch alarms (${facts.alarms} alarms, metrics watched)`,
      count: facts.alarmMetrics,
      monthly: facts.alarmMetrics * p.cloudwatchAlarmMetricPerMonth,
    },
    {
      item: 'CloudWatch custom metrics (consumer EMF + event source EventCount)',
      count: customMetrics,
      monthly: customMetrics * p.cloudwatchCustomMetricPerMonth,
    },
    {
      item: 'CloudWatch dashboards',
      count: facts.dashboards,
      monthly: facts.dashboards * p.cloudwatchDashboardPerMonth,
    },
  ];
}
