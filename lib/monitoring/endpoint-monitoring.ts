import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ResolvedAlarms } from '../../topology/index.ts';
import type { AlarmKind } from '../../topology/internal.ts';
import { AlarmFactory, DLQ_NOT_EMPTY_THRESHOLD } from './alarms.ts';
import type { FanoutDashboard } from './dashboard.ts';
import {
  ConsumerMetricFactory,
  ConsumerRuntimeMetricFactory,
  EventSourceMetricFactory,
  QueueMetricFactory,
} from './metrics.ts';

export interface EndpointMonitoringProps {
  /** `<app>-<stage>`, the first part of every alarm name. */
  readonly prefix: string;
  readonly endpointName: string;
  /** Thresholds; `false` switches an alarm off. */
  readonly thresholds: ResolvedAlarms;
  readonly queue: sqs.IQueue;
  /**
   * The queue's DLQ.
   * @default - none (at-most-once): no DLQ alarm
   */
  readonly deadLetterQueue?: sqs.IQueue;
  /**
   * The SNS subscription's DLQ.
   * @default - none (work queue): no subscription DLQ alarm
   */
  readonly subscriptionDeadLetterQueue?: sqs.IQueue;
  readonly consumer: lambda.IFunction;
  /**
   * UUID of the consumer's event source mapping when it publishes event counts.
   * @default - no event source graph
   */
  readonly eventSourceMappingId?: string;
  /**
   * The queue is an SQS fair queue: quiet-group graph and the quiet-group age alarm.
   * @default false
   */
  readonly fairQueue?: boolean;
  /** Where every alarm notifies. */
  readonly alarmAction: IAlarmAction;
  /** The dashboard to add this endpoint's row to. */
  readonly dashboard: FanoutDashboard;
}

/** An endpoint's alarms and dashboard row, combining the metric factories and the alarm factory. */
export class EndpointMonitoring extends Construct {
  readonly alarms: ReadonlyMap<AlarmKind, cloudwatch.Alarm>;

  constructor(scope: Construct, id: string, props: EndpointMonitoringProps) {
    super(scope, id);
    const queue = new QueueMetricFactory(props.queue);
    const dlq = props.deadLetterQueue && new QueueMetricFactory(props.deadLetterQueue);
    const subDlq = props.subscriptionDeadLetterQueue && new QueueMetricFactory(props.subscriptionDeadLetterQueue);
    const consumer = new ConsumerMetricFactory(props.consumer);
    const runtime = new ConsumerRuntimeMetricFactory(props.endpointName);
    const t = props.thresholds;
    const factory = new AlarmFactory(this, { prefix: props.prefix, action: props.alarmAction });
    const name = props.endpointName;
    const candidates: [AlarmKind, cloudwatch.IMetric | undefined, number | false][] = [
      ['depth', queue.visibleMessages(), t.maxDepth],
      ['age', queue.ageOfOldestMessage(), t.maxAgeSeconds],
      [
        'quiet-age',
        props.fairQueue ? queue.fairQueue('ApproximateAgeOfOldestMessageInQuietGroups') : undefined,
        t.maxQuietGroupAgeSeconds,
      ],
      ['dlq', dlq?.visibleMessages(), DLQ_NOT_EMPTY_THRESHOLD],
      ['sub-dlq', subDlq?.visibleMessages(), DLQ_NOT_EMPTY_THRESHOLD],
      ['errors', consumer.errors(), t.maxErrors],
      ['throttles', consumer.throttles(), t.maxThrottles],
      ['time-to-drain', queue.timeToDrain(), t.maxTimeToDrainSeconds],
      // The runtime's own outcome metrics: Lambda's Errors stays 0 while every record fails.
      ['failed-records', runtime.count('failed'), t.maxFailedRecords],
      ['dead-lettered', runtime.count('deadLettered'), t.maxDeadLetteredRecords],
      ['dropped', runtime.count('dropped'), t.maxDroppedRecords],
    ];
    const alarms = new Map<AlarmKind, cloudwatch.Alarm>();
    for (const [kind, metric, threshold] of candidates) {
      const alarm = metric && factory.threshold(name, kind, metric, threshold);
      if (alarm) alarms.set(kind, alarm);
    }
    this.alarms = alarms;
    props.dashboard.addEndpointRow(name, {
      depth: [queue.visibleMessages('visible')],
      age: [queue.ageOfOldestMessage('oldest (s)')],
      deadLetters: [
        ...(dlq ? [dlq.visibleMessages('DLQ')] : []),
        ...(subDlq ? [subDlq.visibleMessages('subscription DLQ')] : []),
        runtime.count('deadLettered', 'dead-lettered by runtime'),
        runtime.count('dropped', 'dropped'),
        runtime.count('shed', 'shed'),
      ],
      processed: [
        queue.messagesDeleted('deleted'),
        consumer.invocations('invocations'),
        runtime.count('processed', 'processed'),
        runtime.count('duplicate', 'duplicates skipped'),
      ],
      errors: [
        consumer.errors('errors'),
        consumer.throttles('throttles'),
        runtime.count('failed', 'failed records'),
        runtime.count('retried', 'retried records'),
      ],
      duration: [
        consumer.durationAverage('avg (ms)'),
        consumer.durationP99('p99 (ms)'),
        runtime.endToEndLagP99('end-to-end p99 (ms)'),
      ],
    });
    const source = props.eventSourceMappingId ? new EventSourceMetricFactory(props.eventSourceMappingId) : undefined;
    props.dashboard.addEndpointExtras(name, [
      ...(source
        ? [
            {
              title: 'event source',
              left: [
                source.count('PolledEventCount', 'polled'),
                source.count('FilteredOutEventCount', 'filtered out'),
                source.count('InvokedEventCount', 'invoked'),
                source.count('FailedInvokeEventCount', 'failed invokes'),
                source.count('DeletedEventCount', 'deleted'),
              ],
            },
          ]
        : []),
      ...(props.fairQueue
        ? [
            {
              title: 'quiet groups',
              left: [
                queue.fairQueue('ApproximateNumberOfNoisyGroups', 'noisy groups'),
                queue.fairQueue('ApproximateNumberOfMessagesVisibleInQuietGroups', 'visible (quiet)'),
                queue.fairQueue('ApproximateNumberOfMessagesNotVisibleInQuietGroups', 'in flight (quiet)'),
                queue.fairQueue('ApproximateNumberOfMessagesDelayedInQuietGroups', 'delayed (quiet)'),
                queue.fairQueue('ApproximateAgeOfOldestMessageInQuietGroups', 'oldest (quiet, s)'),
              ],
            },
          ]
        : []),
    ]);
  }
}
