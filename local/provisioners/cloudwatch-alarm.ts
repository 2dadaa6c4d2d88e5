import type {
  ComparisonOperator,
  MetricDataQuery,
  MetricStatQuery,
  TreatMissingData,
} from '../alarms/alarm-definition.ts';
import { arn, generatedName } from './naming.ts';
import type { Provisioner } from './types.ts';

const ALARM_NAME_MAX = 255;
const SUPPORTED_OPERATORS = new Set([
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
]);

type TemplateMetric = { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: string }[] };
type TemplateQuery = {
  Id: string;
  Expression?: string;
  ReturnData?: boolean;
  Period?: number;
  MetricStat?: { Metric: TemplateMetric; Period: number; Stat: string };
};

const dimensions = (dims: { Name: string; Value: string }[] | undefined) =>
  Object.fromEntries((dims ?? []).map((d) => [d.Name, String(d.Value)]));

function metricStat(metric: TemplateMetric, periodSeconds: number, stat: string): MetricStatQuery {
  return {
    namespace: metric.Namespace,
    metricName: metric.MetricName,
    dimensions: dimensions(metric.Dimensions),
    stat,
    periodSeconds,
  };
}

export const cloudwatchAlarm: Provisioner = {
  type: 'AWS::CloudWatch::Alarm',
  enforced: true,
  provision({ logicalId, properties: p, ctx }) {
    const alarmName =
      (p.AlarmName as string | undefined) ?? generatedName(ctx, logicalId, { maxLength: ALARM_NAME_MAX });
    const alarmArn = arn(ctx, 'cloudwatch', `alarm:${alarmName}`);
    const queries: MetricDataQuery[] | undefined = (p.Metrics as TemplateQuery[] | undefined)?.map((q) => ({
      id: q.Id,
      returnData: q.ReturnData ?? true,
      ...(q.Expression ? { expression: q.Expression } : {}),
      ...(q.MetricStat
        ? { metricStat: metricStat(q.MetricStat.Metric, Number(q.MetricStat.Period), q.MetricStat.Stat) }
        : {}),
    }));
    const periodSeconds = Number(p.Period ?? queries?.find((q) => q.metricStat)?.metricStat?.periodSeconds ?? 60);
    const evaluationPeriods = Number(p.EvaluationPeriods ?? 1);
    const operator = String(p.ComparisonOperator);
    const stat = String(p.ExtendedStatistic ?? p.Statistic ?? 'Average');
    const metric = p.MetricName
      ? metricStat(
          {
            Namespace: String(p.Namespace),
            MetricName: String(p.MetricName),
            Dimensions: p.Dimensions as TemplateMetric['Dimensions'],
          },
          periodSeconds,
          stat,
        )
      : undefined;
    if (!SUPPORTED_OPERATORS.has(operator)) {
      ctx.warnings.push(`${logicalId}: anomaly-detection alarm (${operator}) is not evaluated locally`);
    } else {
      ctx.alarms.push({
        logicalId,
        alarmName,
        alarmArn,
        ...(typeof p.AlarmDescription === 'string' ? { description: p.AlarmDescription } : {}),
        ...(metric ? { metric } : {}),
        ...(queries ? { queries } : {}),
        periodSeconds,
        evaluationPeriods,
        datapointsToAlarm: Number(p.DatapointsToAlarm ?? evaluationPeriods),
        threshold: Number(p.Threshold ?? 0),
        comparisonOperator: operator as ComparisonOperator,
        treatMissingData: (p.TreatMissingData as TreatMissingData | undefined) ?? 'missing',
        actionsEnabled: p.ActionsEnabled !== false && p.ActionsEnabled !== 'false',
        alarmActions: (p.AlarmActions as string[] | undefined) ?? [],
        okActions: (p.OKActions as string[] | undefined) ?? [],
        insufficientDataActions: (p.InsufficientDataActions as string[] | undefined) ?? [],
      });
    }
    return { physicalId: alarmName, attributes: { Arn: alarmArn } };
  },
};
