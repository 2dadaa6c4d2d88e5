import { existsSync, readFileSync } from 'node:fs';
import { DescribeAlarmsCommand, GetMetricDataCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { LocalStatusSnapshot } from '../contracts/index.ts';
import type { OperatorContext } from './operator.ts';

/** What SQS attributes cannot tell: alarm states and the age of each queue's oldest message. */
export interface StatusInsight {
  /** `watches`: names of the queues/functions the alarm's metrics are about, when known. */
  readonly alarms: readonly { readonly name: string; readonly state: string; readonly watches?: readonly string[] }[];
  /** Queue name → seconds. */
  readonly oldestAgeSeconds: ReadonlyMap<string, number>;
  readonly source: string;
  /** Why the source could not be read (alarms and ages are then unknown), as one line with the fix. */
  readonly problem?: string;
}

const AGE_WINDOW_MS = 5 * 60_000;

function watchedResources(a: MetricAlarm): string[] {
  const dims = [...(a.Dimensions ?? []), ...(a.Metrics ?? []).flatMap((m) => m.MetricStat?.Metric?.Dimensions ?? [])];
  return dims.map((d) => d.Value!).filter(Boolean);
}

/** Alarms (DescribeAlarms) and ApproximateAgeOfOldestMessage (GetMetricData) from CloudWatch. */
export async function cloudWatchInsight(ctx: OperatorContext): Promise<StatusInsight> {
  const cw = ctx.clients.cloudwatch;
  const alarms: MetricAlarm[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cw.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: `${ctx.target.topology.prefix}-`, NextToken }),
    );
    alarms.push(...(page.MetricAlarms ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  const queues = ctx.target.topology.endpoints.map((e) => e.names.queue);
  const now = Date.now();
  const metrics = await cw.send(
    new GetMetricDataCommand({
      StartTime: new Date(now - AGE_WINDOW_MS),
      EndTime: new Date(now),
      MetricDataQueries: queues.map((name, i) => ({
        Id: `q${i}`,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/SQS',
            MetricName: 'ApproximateAgeOfOldestMessage',
            Dimensions: [{ Name: 'QueueName', Value: name }],
          },
          Period: 60,
          Stat: 'Maximum',
        },
      })),
    }),
  );
  const ages = new Map<string, number>();
  for (const r of metrics.MetricDataResults ?? []) {
    const latest = r.Values?.[0];
    if (latest !== undefined) ages.set(queues[Number(r.Id!.slice(1))]!, latest);
  }
  return {
    alarms: alarms.map((a) => ({ name: a.AlarmName!, state: a.StateValue ?? 'UNKNOWN', watches: watchedResources(a) })),
    oldestAgeSeconds: ages,
    source: 'CloudWatch',
  };
}

/** The local cloud's status snapshot file, if it keeps one. */
export function snapshotInsight(file: string | undefined): StatusInsight | undefined {
  if (!file || !existsSync(file)) return undefined;
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as LocalStatusSnapshot;
  return {
    alarms: snapshot.alarms,
    oldestAgeSeconds: new Map(Object.entries(snapshot.oldestAgeSeconds)),
    source: `local cloud status (${snapshot.sampledAt})`,
  };
}

/** CloudWatch when configured (its failure as `problem`), else the local status snapshot, else nothing. */
export async function defaultInsight(ctx: OperatorContext): Promise<StatusInsight | undefined> {
  if (ctx.clients.hasCloudWatch) {
    return cloudWatchInsight(ctx).catch((error: unknown) => ({
      alarms: [],
      oldestAgeSeconds: new Map(),
      source: 'CloudWatch',
      problem:
        `CloudWatch could not be read (${(error as Error).name}: ${(error as Error).message}). ` +
        'Fix: check the network and any CloudWatch endpoint override (AWS_ENDPOINT_URL_CLOUDWATCH), and that the credentials allow cloudwatch:DescribeAlarms and cloudwatch:GetMetricData.',
    }));
  }
  return snapshotInsight(ctx.target.outputs.statusFile);
}
