import { DescribeAlarmsCommand, GetMetricDataCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { OperatorContext } from './operator.ts';
import { queueAttributes } from './sqs-util.ts';

export interface AlarmState {
  readonly name: string;
  readonly state: string;
}

export interface SubscriberStatus {
  readonly name: string;
  /** `topic/subscriber` or the work queue name. */
  readonly path: string;
  readonly delivery: string;
  readonly fifo: boolean;
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
  /** Seconds; undefined where no CloudWatch metrics are available. */
  readonly oldestAgeSeconds: number | undefined;
  /** Undefined for at-most-once endpoints (no DLQ). */
  readonly dlqVisible: number | undefined;
  /** Undefined where CloudWatch is not reachable (a local cloud without it). */
  readonly alarms: readonly AlarmState[] | undefined;
}

const AGE_WINDOW_MS = 5 * 60_000;

async function allAlarms(ctx: OperatorContext): Promise<MetricAlarm[]> {
  const alarms: MetricAlarm[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ctx.clients.cloudwatch.send(
      new DescribeAlarmsCommand({ NextToken }),
    );
    alarms.push(...(page.MetricAlarms ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return alarms;
}

/** Alarms watching one of the endpoint's resources (by metric dimension, or metric-math metrics). */
function alarmsOf(alarms: readonly MetricAlarm[], resourceNames: readonly string[]): AlarmState[] {
  const watches = (a: MetricAlarm) => {
    const dims = [...(a.Dimensions ?? []), ...(a.Metrics ?? []).flatMap((m) => m.MetricStat?.Metric?.Dimensions ?? [])];
    return dims.some((d) => d.Value !== undefined && resourceNames.includes(d.Value));
  };
  return alarms.filter(watches).map((a) => ({ name: a.AlarmName!, state: a.StateValue ?? 'UNKNOWN' }));
}

async function oldestAges(ctx: OperatorContext, queueNames: readonly string[]): Promise<Map<string, number>> {
  const now = Date.now();
  const result = await ctx.clients.cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(now - AGE_WINDOW_MS),
      EndTime: new Date(now),
      MetricDataQueries: queueNames.map((name, i) => ({
        Id: `q${i}`,
        MetricStat: {
          Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: name }] },
          Period: 60,
          Stat: 'Maximum',
        },
      })),
    }),
  );
  const ages = new Map<string, number>();
  for (const r of result.MetricDataResults ?? []) {
    const latest = r.Values?.[0];
    if (latest !== undefined) ages.set(queueNames[Number(r.Id!.slice(1))]!, latest);
  }
  return ages;
}

/** Depths, DLQ depth, oldest message age and alarm states of every subscriber and work queue. */
export async function subscriberStatus(ctx: OperatorContext): Promise<SubscriberStatus[]> {
  const endpoints = ctx.target.topology.endpoints;
  const cloudwatch = ctx.clients.hasCloudWatch;
  const [alarms, ages] = cloudwatch
    ? await Promise.all([allAlarms(ctx), oldestAges(ctx, endpoints.map((e) => e.names.queue))])
    : [undefined, undefined];
  return Promise.all(
    endpoints.map(async (e): Promise<SubscriberStatus> => {
      const { queueUrl, deadLetterQueueUrl } = ctx.target.endpoint(e.name);
      const [q, dlq] = await Promise.all([
        queueAttributes(ctx.clients.sqs, queueUrl, [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ]),
        deadLetterQueueUrl ? queueAttributes(ctx.clients.sqs, deadLetterQueueUrl, ['ApproximateNumberOfMessages']) : undefined,
      ]);
      return {
        name: e.name,
        path: e.path,
        delivery: e.delivery,
        fifo: e.fifo,
        visible: Number(q.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(q.ApproximateNumberOfMessagesNotVisible ?? 0),
        delayed: Number(q.ApproximateNumberOfMessagesDelayed ?? 0),
        oldestAgeSeconds: ages?.get(e.names.queue),
        dlqVisible: dlq ? Number(dlq.ApproximateNumberOfMessages ?? 0) : undefined,
        alarms: alarms
          ? alarmsOf(alarms, [e.names.queue, e.names.deadLetterQueue, e.names.function, e.names.subscriptionDeadLetterQueue].filter(Boolean))
          : undefined,
      };
    }),
  );
}
