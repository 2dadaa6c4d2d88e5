import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { type AlarmKind, alarmName } from '../../topology/internal.ts';

interface AlarmShape {
  /** Minutes looked at. */
  readonly evaluationPeriods: number;
  /** Minutes out of those that must breach. */
  readonly datapointsToAlarm: number;
  readonly description: string;
}

/**
 * How each kind evaluates. Backlog alarms want a sustained breach (3 of 3 minutes) so a burst that
 * drains on its own stays quiet; a message in a DLQ, an error, a throttle or a record the consumer
 * runtime reports failed, dead-lettered or dropped alarms at once.
 * Every alarm fires when the value reaches the threshold (>=) and treats missing data as fine.
 */
export const ALARM_SHAPES: Readonly<Record<AlarmKind, AlarmShape>> = {
  depth: { evaluationPeriods: 3, datapointsToAlarm: 3, description: 'backlog of visible messages' },
  age: { evaluationPeriods: 3, datapointsToAlarm: 3, description: 'age of the oldest message (s)' },
  'quiet-age': {
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    description: 'age of the oldest message of the quiet tenants (s)',
  },
  dlq: { evaluationPeriods: 1, datapointsToAlarm: 1, description: 'messages in the dead-letter queue' },
  'sub-dlq': { evaluationPeriods: 1, datapointsToAlarm: 1, description: 'messages SNS could not deliver to the queue' },
  errors: { evaluationPeriods: 1, datapointsToAlarm: 1, description: 'consumer errors per minute' },
  throttles: { evaluationPeriods: 1, datapointsToAlarm: 1, description: 'consumer throttles per minute' },
  'time-to-drain': { evaluationPeriods: 3, datapointsToAlarm: 3, description: 'seconds to drain the backlog' },
  'failed-records': { evaluationPeriods: 1, datapointsToAlarm: 1, description: 'records failed per minute' },
  'dead-lettered': { evaluationPeriods: 1, datapointsToAlarm: 1, description: 'records dead-lettered per minute' },
  dropped: { evaluationPeriods: 1, datapointsToAlarm: 1, description: 'records dropped per minute (at-most-once)' },
};

/** A dead-letter queue alarms on its first message. */
export const DLQ_NOT_EMPTY_THRESHOLD = 1;

export interface AlarmFactoryProps {
  /** `<app>-<stage>`, the first part of every alarm name. */
  readonly prefix: string;
  /** Where alarm and OK notifications go (the alarm topic). */
  readonly action: IAlarmAction;
}

/** Builds threshold alarms named `<prefix>-<endpoint>-<kind>` that notify one action on ALARM and OK. */
export class AlarmFactory {
  constructor(
    private readonly scope: Construct,
    private readonly props: AlarmFactoryProps,
  ) {}

  alarmName(endpoint: string, kind: AlarmKind): string {
    return alarmName(this.props.prefix, endpoint, kind);
  }

  /** An alarm when `metric` reaches `threshold`; `false` means the alarm is switched off. */
  threshold(
    endpoint: string,
    kind: AlarmKind,
    metric: cloudwatch.IMetric,
    threshold: number | false,
  ): cloudwatch.Alarm | undefined {
    if (threshold === false) return undefined;
    const shape = ALARM_SHAPES[kind];
    const alarm = new cloudwatch.Alarm(this.scope, `Alarm-${kind}`, {
      alarmName: this.alarmName(endpoint, kind),
      alarmDescription: `${endpoint}: ${shape.description} >= ${threshold}`,
      metric,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: shape.evaluationPeriods,
      datapointsToAlarm: shape.datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.props.action);
    alarm.addOkAction(this.props.action);
    return alarm;
  }
}
