import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { CONSUMER_METRICS } from '../../contracts/index.ts';

/** Every alarm and graph samples one-minute periods (SQS and Lambda publish per minute). */
export const METRIC_PERIOD = Duration.minutes(1);

/** Builds the SQS metrics of one queue; builds only, never alarms. A label is for graphs (alarms take none). */
export class QueueMetricFactory {
  constructor(private readonly queue: sqs.IQueue) {}

  /** ApproximateNumberOfMessagesVisible, maximum per minute: the backlog. */
  visibleMessages(label?: string): cloudwatch.Metric {
    return this.queue.metricApproximateNumberOfMessagesVisible({
      statistic: cloudwatch.Stats.MAXIMUM,
      period: METRIC_PERIOD,
      label,
    });
  }

  /** ApproximateAgeOfOldestMessage in seconds, maximum per minute. */
  ageOfOldestMessage(label?: string): cloudwatch.Metric {
    return this.queue.metricApproximateAgeOfOldestMessage({
      statistic: cloudwatch.Stats.MAXIMUM,
      period: METRIC_PERIOD,
      label,
    });
  }

  /** NumberOfMessagesDeleted, sum per minute: messages processed (a consumer deletes what it finished). */
  messagesDeleted(label?: string): cloudwatch.Metric {
    return this.queue.metricNumberOfMessagesDeleted({
      statistic: cloudwatch.Stats.SUM,
      period: METRIC_PERIOD,
      label,
    });
  }

  /** A fair queue's quiet-group gauges and its count of noisy groups (maximum per minute). */
  fairQueue(name: FairQueueMetricName, label?: string): cloudwatch.Metric {
    return this.queue.metric(name, { statistic: cloudwatch.Stats.MAXIMUM, period: METRIC_PERIOD, label });
  }

  /**
   * Seconds the backlog takes to drain at the current rate: visible / (deleted per second).
   * No data while nothing is deleted (division by zero); the depth and age alarms cover a stalled consumer.
   */
  timeToDrain(label?: string): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: `visible / (deleted / ${METRIC_PERIOD.toSeconds()})`,
      usingMetrics: { visible: this.visibleMessages(), deleted: this.messagesDeleted() },
      period: METRIC_PERIOD,
      label,
    });
  }
}

/** SQS fair-queue metrics (standard queues whose messages carry a MessageGroupId). */
export const FAIR_QUEUE_METRICS = [
  'ApproximateNumberOfNoisyGroups',
  'ApproximateNumberOfMessagesVisibleInQuietGroups',
  'ApproximateNumberOfMessagesNotVisibleInQuietGroups',
  'ApproximateNumberOfMessagesDelayedInQuietGroups',
  'ApproximateAgeOfOldestMessageInQuietGroups',
] as const;
export type FairQueueMetricName = (typeof FAIR_QUEUE_METRICS)[number];

/** Event counts an SQS event source mapping publishes with `MetricsConfig: EventCount`. */
export const EVENT_SOURCE_COUNTS = [
  'PolledEventCount',
  'FilteredOutEventCount',
  'InvokedEventCount',
  'FailedInvokeEventCount',
  'DeletedEventCount',
] as const;
export type EventSourceCountName = (typeof EVENT_SOURCE_COUNTS)[number];

/** Builds the metrics of one event source mapping (namespace AWS/Lambda, dimension EventSourceMappingUUID). */
export class EventSourceMetricFactory {
  constructor(private readonly mappingId: string) {}

  /** Events per minute counted by the mapping. */
  count(name: EventSourceCountName, label?: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Lambda',
      metricName: name,
      dimensionsMap: { EventSourceMappingUUID: this.mappingId },
      statistic: cloudwatch.Stats.SUM,
      period: METRIC_PERIOD,
      label,
    });
  }
}

/** Builds the Lambda metrics of one consumer function. */
export class ConsumerMetricFactory {
  constructor(private readonly fn: lambda.IFunction) {}

  errors(label?: string): cloudwatch.Metric {
    return this.fn.metricErrors({ statistic: cloudwatch.Stats.SUM, period: METRIC_PERIOD, label });
  }

  throttles(label?: string): cloudwatch.Metric {
    return this.fn.metricThrottles({ statistic: cloudwatch.Stats.SUM, period: METRIC_PERIOD, label });
  }

  invocations(label?: string): cloudwatch.Metric {
    return this.fn.metricInvocations({ statistic: cloudwatch.Stats.SUM, period: METRIC_PERIOD, label });
  }

  durationP99(label?: string): cloudwatch.Metric {
    return this.fn.metricDuration({ statistic: cloudwatch.Stats.p(99), period: METRIC_PERIOD, label });
  }

  durationAverage(label?: string): cloudwatch.Metric {
    return this.fn.metricDuration({ statistic: cloudwatch.Stats.AVERAGE, period: METRIC_PERIOD, label });
  }
}

type RuntimeMetricName = keyof typeof CONSUMER_METRICS.names;

/**
 * Builds the metrics the consumer runtime publishes itself (CloudWatch embedded metric format,
 * namespace `Fanout`, dimension `Consumer`): outcomes SQS and Lambda cannot see, such as
 * duplicates skipped, records dead-lettered by the runtime, dropped or shed.
 */
export class ConsumerRuntimeMetricFactory {
  constructor(private readonly consumer: string) {}

  /** Records per minute with this outcome. */
  count(name: Exclude<RuntimeMetricName, 'endToEndLag'>, label?: string): cloudwatch.Metric {
    return this.metric(name, cloudwatch.Stats.SUM, label);
  }

  /** Publish-to-outcome latency, p99 per minute. */
  endToEndLagP99(label?: string): cloudwatch.Metric {
    return this.metric('endToEndLag', cloudwatch.Stats.p(99), label);
  }

  private metric(name: RuntimeMetricName, statistic: string, label: string | undefined): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: CONSUMER_METRICS.namespace,
      metricName: CONSUMER_METRICS.names[name],
      dimensionsMap: { [CONSUMER_METRICS.dimension]: this.consumer },
      statistic,
      period: METRIC_PERIOD,
      label,
    });
  }
}
