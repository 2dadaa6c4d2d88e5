import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ResolvedEndpoint, StageSettings } from '../topology/index.ts';
import { LIMITS, replyQueuePrefix } from '../topology/internal.ts';
import { CLAIM_CHECK, replyObjectKeyPrefix, idempotencyKeyPrefix } from '../contracts/index.ts';
import { Consumer } from './consumer.ts';
import { consumerEnvironment } from './consumer-environment.ts';
import { EndpointQueues } from './endpoint-queues.ts';
import { grantOwnIdempotencyRecords, grantReadWriteItems, grantSendMessages, grantSendReplies } from './grants.ts';
import type { FanoutDashboard } from './monitoring/dashboard.ts';
import { EndpointMonitoring } from './monitoring/endpoint-monitoring.ts';
import { acknowledgeNag, nagArnFinding } from './nag-suppressions.ts';
import type { PayloadBucket } from './payload-bucket.ts';
import type { FanoutTables } from './tables.ts';
import { TopicSubscription } from './topic-subscription.ts';
import { validateProps, type PropsRule } from './validate-props.ts';
import { removalPolicyOf } from './stage.ts';

export interface FanoutEndpointProps {
  /** The endpoint with every default applied (`resolveTopology`). */
  readonly endpoint: ResolvedEndpoint;
  /** The consumer's handler file (absolute path); it exports `handler`. */
  readonly handlerEntry: string;
  /**
   * The topic feeding the endpoint (a `FanoutTopic`, or a reference to one from a nested stack).
   * @default - none: a work queue
   */
  readonly topic?: { readonly topic: sns.ITopic };
  readonly stage: StageSettings;
  /** `<app>-<stage>`. */
  readonly prefix: string;
  readonly tables: FanoutTables;
  /** Where claim-check payloads are stored; the consumer may read them. */
  readonly payloads: PayloadBucket;
  readonly alarmAction: IAlarmAction;
  readonly dashboard: FanoutDashboard;
}

const RULES: readonly PropsRule<FanoutEndpointProps>[] = [
  ({ endpoint: e }) =>
    e.visibilityTimeoutSeconds < LIMITS.visibilityPerFunctionTimeout * e.consumer.timeoutSeconds
      ? `endpoint '${e.name}': visibility timeout ${e.visibilityTimeoutSeconds} s is under ${LIMITS.visibilityPerFunctionTimeout} × the function timeout (${e.consumer.timeoutSeconds} s); lower consumer.timeoutSeconds`
      : undefined,
  ({ endpoint: e, topic }) =>
    (e.kind === 'subscription') !== (topic !== undefined)
      ? `endpoint '${e.name}' is a ${e.kind} but was given ${topic ? 'a' : 'no'} topic`
      : undefined,
];

/**
 * One endpoint end to end: queue + DLQ, the SNS subscription (for topic subscribers), the consumer
 * with its least-privilege grants, and its alarms and dashboard row.
 */
export class FanoutEndpoint extends Construct {
  readonly queues: EndpointQueues;
  readonly subscription: TopicSubscription | undefined;
  readonly consumer: Consumer;
  readonly monitoring: EndpointMonitoring;

  constructor(scope: Construct, id: string, props: FanoutEndpointProps) {
    super(scope, id);
    validateProps(this, props, RULES);
    const { endpoint: e, stage } = props;
    const removalPolicy = removalPolicyOf(stage);
    this.queues = new EndpointQueues(this, 'Queues', {
      queueName: e.names.queue,
      deadLetterQueueName: e.hasDeadLetterQueue ? e.names.deadLetterQueue : undefined,
      fifo: e.fifo,
      maxReceiveCount: e.maxReceiveCount,
      visibilityTimeoutSeconds: e.visibilityTimeoutSeconds,
      retentionDays: stage.messageRetentionDays,
      deliveryDelaySeconds: e.deliveryDelaySeconds,
      highThroughput: e.highThroughput,
      maxMessageSizeBytes: e.maxMessageSizeBytes,
      dataKeyReuseSeconds: e.kmsDataKeyReuseSeconds,
      producers: e.producers,
      removalPolicy,
    });
    this.subscription = props.topic
      ? new TopicSubscription(this, 'Subscription', {
          topic: props.topic.topic,
          topicFifo: props.topic.topic.fifo,
          queues: this.queues,
          subscriptionDeadLetterQueueName: e.names.subscriptionDeadLetterQueue,
          filterPolicy: e.filterPolicy,
          filterPolicyScope: e.filterPolicyScope,
          rawDelivery: e.rawDelivery,
        })
      : undefined;
    const tables = e.consumer.tables.flatMap((name) => {
      const table = props.tables.byName.get(name);
      return table ? [[name, table] as const] : [];
    });
    const tableNames = Object.fromEntries(tables.map(([name, table]) => [name, table.tableName]));
    // The only queues this consumer may answer requests on: its environment and its grant name the same.
    const replyQueues = replyQueuePrefix(props.prefix);
    this.consumer = new Consumer(this, 'Consumer', {
      functionName: e.names.function,
      entry: props.handlerEntry,
      endpoint: e.name,
      queue: this.queues.queue,
      timeoutSeconds: e.consumer.timeoutSeconds,
      memoryMb: e.consumer.memoryMb,
      batchSize: e.consumer.batchSize,
      batchingWindowSeconds: e.consumer.batchingWindowSeconds,
      maxConcurrency: e.consumer.maxConcurrency,
      pollers: e.consumer.pollers,
      filters: e.consumer.filters,
      eventCountMetrics: e.consumer.eventCountMetrics,
      logRetentionDays: stage.logRetentionDays,
      removalPolicy,
      environment: consumerEnvironment(e, {
        queueUrl: this.queues.queue.queueUrl,
        deadLetterQueueUrl: this.queues.deadLetterQueue?.queueUrl,
        idempotencyTableName: props.tables.idempotency.tableName,
        replyQueuePrefix: replyQueues,
        payloadBucketName: props.payloads.bucket.bucketName,
        tableNames,
      }),
    });
    const role = this.consumer.role;
    // Consuming (receive, delete, change visibility, attributes) is granted by the event source.
    if (this.queues.deadLetterQueue) grantSendMessages(role, this.queues.deadLetterQueue);
    for (const [name, table] of tables) grantReadWriteItems(role, table, e.consumer.conditionChecks.includes(name));
    if (e.idempotencyRecords) grantOwnIdempotencyRecords(role, props.tables.idempotency, idempotencyKeyPrefix(e.name));
    props.payloads.grantReadPayloads(role);
    if (e.requestReply) {
      grantSendReplies(role, replyQueues);
      acknowledgeNag(role, 'replyQueues', { replyQueuePrefix: replyQueues });
      props.payloads.grantWriteReplies(role, e.name);
      acknowledgeNag(role, 'claimCheckReplies', {
        replyObjects: nagArnFinding(props.payloads.bucket, `/${replyObjectKeyPrefix(e.name)}*`, role),
      });
    }
    acknowledgeNag(role, 'claimCheckReads', {
      payloadObjects: nagArnFinding(props.payloads.bucket, `/${CLAIM_CHECK.keyPrefix}*`, role),
    });
    this.monitoring = new EndpointMonitoring(this, 'Monitoring', {
      prefix: props.prefix,
      endpointName: e.name,
      thresholds: e.alarms,
      queue: this.queues.queue,
      deadLetterQueue: this.queues.deadLetterQueue,
      subscriptionDeadLetterQueue: this.subscription?.deadLetterQueue,
      consumer: this.consumer.function,
      eventSourceMappingId: e.consumer.eventCountMetrics ? this.consumer.eventSourceMappingId : undefined,
      fairQueue: e.fairQueue,
      alarmAction: props.alarmAction,
      dashboard: props.dashboard,
    });
  }
}
