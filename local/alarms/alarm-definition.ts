import type { Dimensions } from './metric-store.ts';

export type ComparisonOperator =
  | 'GreaterThanOrEqualToThreshold'
  | 'GreaterThanThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

export type TreatMissingData = 'breaching' | 'notBreaching' | 'ignore' | 'missing';

export interface MetricStatQuery {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Dimensions;
  /** Average, Sum, Minimum, Maximum, SampleCount or pNN. */
  readonly stat: string;
  readonly periodSeconds: number;
}

/** One entry of a metric-math alarm's Metrics[]. */
export interface MetricDataQuery {
  readonly id: string;
  readonly returnData: boolean;
  readonly metricStat?: MetricStatQuery;
  readonly expression?: string;
}

/** An AWS::CloudWatch::Alarm with the template's settings, resolved. */
export interface AlarmDefinition {
  readonly logicalId: string;
  readonly alarmName: string;
  readonly alarmArn: string;
  readonly description?: string;
  /** Single-metric alarm; undefined for metric-math alarms. */
  readonly metric?: MetricStatQuery;
  /** Metric-math alarm queries; undefined for single-metric alarms. */
  readonly queries?: readonly MetricDataQuery[];
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparisonOperator: ComparisonOperator;
  readonly treatMissingData: TreatMissingData;
  readonly actionsEnabled: boolean;
  readonly alarmActions: readonly string[];
  readonly okActions: readonly string[];
  readonly insufficientDataActions: readonly string[];
}

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
