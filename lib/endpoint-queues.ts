import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LIMITS } from '../topology/internal.ts';
import { allowPrincipalToUseKey, createCustomerManagedKey } from './encryption.ts';
import { SQS_SEND_ACTIONS } from './grants.ts';
import { acknowledgeNag } from './nag-suppressions.ts';
import { isResolved, validateProps, type PropsRule } from './validate-props.ts';

/** Days a dead-letter queue keeps messages: the SQS maximum, to leave time to inspect and redrive. */
export const DLQ_RETENTION_DAYS = LIMITS.deadLetterRetentionDays;

export interface EndpointQueuesProps {
  /** Physical name of the queue (`.fifo` suffix when FIFO). */
  readonly queueName: string;
  /**
   * Physical name of the dead-letter queue; required unless `maxReceiveCount` is undefined.
   * @default - no dead-letter queue
   */
  readonly deadLetterQueueName?: string;
  /**
   * FIFO queue (and DLQ).
   * @default false
   */
  readonly fifo?: boolean;
  /**
   * Receives (1–1000) before a message moves to the DLQ. Undefined = at-most-once: no DLQ, no redrive.
   * @default - no redrive
   */
  readonly maxReceiveCount?: number;
  /** Visibility timeout in seconds (0–43,200); at least 6 × the consumer's function timeout. */
  readonly visibilityTimeoutSeconds: number;
  /**
   * Days (1–14) the queue keeps a message.
   * @default 4
   */
  readonly retentionDays?: number;
  /**
   * Seconds (0–900) a new message stays hidden.
   * @default 0
   */
  readonly deliveryDelaySeconds?: number;
  /**
   * FIFO only: high-throughput mode on the queue and its DLQs (`DeduplicationScope: messageGroup`,
   * `FifoThroughputLimit: perMessageGroupId`).
   * @default false
   */
  readonly highThroughput?: boolean;
  /**
   * Largest message in bytes (1,024–1,048,576), set explicitly on the queue; its DLQs take SQS's largest.
   * @default 1048576
   */
  readonly maxMessageSizeBytes?: number;
  /**
   * Seconds (60–86,400) the queue and its DLQs reuse a KMS data key (`KmsDataKeyReusePeriodSeconds`).
   * @default - not set: SQS's default, 300
   */
  readonly dataKeyReuseSeconds?: number;
  /**
   * IAM principal ARNs (roles, users, accounts) allowed to send to the queue directly (work queues).
   * Each gets `sqs:SendMessage` in the queue policy and the KMS actions in the key policy.
   * @default []
   */
  readonly producers?: readonly string[];
  /**
   * Removal policy of the queues' key.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

const RULES: readonly PropsRule<EndpointQueuesProps>[] = [
  (p) =>
    p.maxReceiveCount !== undefined && !p.deadLetterQueueName
      ? `maxReceiveCount ${p.maxReceiveCount} needs a deadLetterQueueName to redrive to`
      : undefined,
  (p) =>
    p.maxReceiveCount === undefined && p.deadLetterQueueName
      ? 'deadLetterQueueName without maxReceiveCount: set maxReceiveCount or remove the DLQ'
      : undefined,
  (p) =>
    p.visibilityTimeoutSeconds > LIMITS.visibilityTimeoutMaxSeconds
      ? `visibilityTimeoutSeconds must be at most ${LIMITS.visibilityTimeoutMaxSeconds} (given ${p.visibilityTimeoutSeconds})`
      : undefined,
  (p) =>
    [p.queueName, p.deadLetterQueueName]
      .filter((n): n is string => n !== undefined && isResolved(n))
      .filter((n) => n.endsWith('.fifo') !== (p.fifo ?? false))
      .map((n) => `queue name '${n}' must end in '.fifo' exactly when fifo is true (fifo: ${p.fifo ?? false})`)[0],
  (p) =>
    p.highThroughput && !p.fifo ? 'highThroughput only applies to FIFO queues; set fifo: true or remove it' : undefined,
  (p) => {
    const wildcard = (p.producers ?? []).find((arn) => arn.includes('*'));
    return wildcard ? `producers must name principals, not wildcards (given '${wildcard}')` : undefined;
  },
];

/**
 * An endpoint's SQS queue and, unless at-most-once, its DLQ (same FIFO-ness) with a redrive policy.
 * Both are encrypted with one rotating CMK (the endpoint's) and accept TLS requests only.
 */
export class EndpointQueues extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue | undefined;
  readonly key: kms.Key;
  readonly #props: EndpointQueuesProps;

  constructor(scope: Construct, id: string, props: EndpointQueuesProps) {
    super(scope, id);
    validateProps(this, props, RULES);
    this.#props = props;
    this.key = createCustomerManagedKey(this, 'Key', {
      description: `Encrypts messages of SQS queue ${props.queueName} and its dead-letter queues`,
      removalPolicy: props.removalPolicy,
    });
    const fifo = props.fifo || undefined;
    if (props.maxReceiveCount !== undefined && props.deadLetterQueueName) {
      this.deadLetterQueue = this.newDeadLetterQueue('DeadLetterQueue', props.deadLetterQueueName, fifo);
      acknowledgeNag(this.deadLetterQueue, 'deadLetterQueue');
    }
    this.queue = this.newQueue('Queue', props.queueName, fifo, {
      visibilityTimeout: Duration.seconds(props.visibilityTimeoutSeconds),
      retentionPeriod: props.retentionDays === undefined ? undefined : Duration.days(props.retentionDays),
      deliveryDelay: props.deliveryDelaySeconds ? Duration.seconds(props.deliveryDelaySeconds) : undefined,
      deadLetterQueue: this.deadLetterQueue
        ? { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount! }
        : undefined,
    });
    if (!this.deadLetterQueue) acknowledgeNag(this.queue, 'atMostOnceQueue');
    for (const arn of props.producers ?? []) this.allowProducer(new iam.ArnPrincipal(arn));
  }

  /** Lets a principal send to the queue: `sqs:SendMessage` in the queue policy plus the KMS actions in the key policy. */
  allowProducer(principal: iam.IPrincipal): void {
    this.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [principal],
        actions: [...SQS_SEND_ACTIONS],
        resources: [this.queue.queueArn],
      }),
    );
    allowPrincipalToUseKey(this.key, principal);
  }

  /**
   * A DLQ (the queue's or the subscription's): SQS's whole message size, so that a copy of the
   * largest message the queue takes still has room for its dead-letter reason.
   */
  newDeadLetterQueue(id: string, queueName: string, fifo: true | undefined): sqs.Queue {
    return this.newQueue(id, queueName, fifo, {
      retentionPeriod: Duration.days(DLQ_RETENTION_DAYS),
      maxMessageSizeBytes: LIMITS.sqsMessageBytesMax,
    });
  }

  /** A queue encrypted with this endpoint's key, TLS only, with the endpoint's message size and (FIFO) throughput mode. */
  newQueue(id: string, queueName: string, fifo: true | undefined, extra: Partial<sqs.QueueProps> = {}): sqs.Queue {
    const highThroughput = fifo && this.#props.highThroughput;
    return new sqs.Queue(this, id, {
      queueName,
      fifo,
      maxMessageSizeBytes: this.#props.maxMessageSizeBytes ?? LIMITS.sqsMessageBytesMax,
      ...(highThroughput
        ? {
            deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
            fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
          }
        : {}),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      ...(this.#props.dataKeyReuseSeconds === undefined
        ? {}
        : { dataKeyReuse: Duration.seconds(this.#props.dataKeyReuseSeconds) }),
      enforceSSL: true,
      ...extra,
    });
  }
}
