import type { AlarmDefinition, AlarmState } from './alarm-definition.ts';

const REGION_NAMES: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-2': 'US West (Oregon)',
  'eu-west-1': 'EU (Ireland)',
  'eu-central-1': 'EU (Frankfurt)',
};

const STATISTIC_NAMES: Record<string, string> = {
  Average: 'AVERAGE',
  Sum: 'SUM',
  Minimum: 'MINIMUM',
  Maximum: 'MAXIMUM',
  SampleCount: 'SAMPLE_COUNT',
};

export interface StateChange {
  readonly alarm: AlarmDefinition;
  readonly oldState: AlarmState;
  readonly newState: AlarmState;
  readonly reason: string;
  /** ISO time on the alarm clock. */
  readonly time: string;
}

/** Subject and body of the SNS notification CloudWatch sends when an alarm changes state. */
export function alarmNotification(
  change: StateChange,
  region: string,
  accountId: string,
): { subject: string; message: string } {
  const { alarm } = change;
  const regionName = REGION_NAMES[region] ?? region;
  const metric = alarm.metric;
  const extended = metric && !(metric.stat in STATISTIC_NAMES);
  const trigger = {
    ...(metric
      ? {
          MetricName: metric.metricName,
          Namespace: metric.namespace,
          StatisticType: extended ? 'ExtendedStatistic' : 'Statistic',
          Statistic: extended ? undefined : STATISTIC_NAMES[metric.stat],
          ExtendedStatistic: extended ? metric.stat : undefined,
          Unit: null,
          Dimensions: Object.entries(metric.dimensions).map(([name, value]) => ({ value, name })),
        }
      : { Metrics: alarm.queries }),
    Period: alarm.periodSeconds,
    EvaluationPeriods: alarm.evaluationPeriods,
    DatapointsToAlarm: alarm.datapointsToAlarm,
    ComparisonOperator: alarm.comparisonOperator,
    Threshold: alarm.threshold,
    TreatMissingData: alarm.treatMissingData,
    EvaluateLowSampleCountPercentile: '',
  };
  const body = {
    AlarmName: alarm.alarmName,
    AlarmDescription: alarm.description ?? null,
    AWSAccountId: accountId,
    AlarmConfigurationUpdatedTimestamp: change.time,
    NewStateValue: change.newState,
    NewStateReason: change.reason,
    StateChangeTime: change.time,
    Region: regionName,
    AlarmArn: alarm.alarmArn,
    OldStateValue: change.oldState,
    OKActions: alarm.okActions,
    AlarmActions: alarm.alarmActions,
    InsufficientDataActions: alarm.insufficientDataActions,
    Trigger: trigger,
  };
  return {
    subject: `${change.newState}: "${alarm.alarmName}" in ${regionName}`.slice(0, 100),
    message: JSON.stringify(body),
  };
}
