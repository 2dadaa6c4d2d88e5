import type { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { LIMITS, TOPIC_RULES } from '../topology/internal.ts';
import { allowPrincipalToUseKey, allowServiceToUseKey, createCustomerManagedKey } from './encryption.ts';
import { fromTopologyRules, isResolved, resolvedOrUndefined, validateProps, type PropsRule } from './validate-props.ts';

export interface FanoutTopicProps {
  /** Physical topic name; must end in `.fifo` when `fifo` is true. */
  readonly topicName: string;
  /**
   * FIFO topic: ordered per message group, deduplicated.
   * @default false
   */
  readonly fifo?: boolean;
  /**
   * FIFO only: deduplicate on a SHA-256 of the body.
   * @default false
   */
  readonly contentBasedDeduplication?: boolean;
  /**
   * FIFO only: days (1–365) the topic archives messages for replay.
   * @default - no archive
   */
  readonly archiveRetentionDays?: number;
  /**
   * FIFO only: throughput per message group (`FifoThroughputScope: MessageGroup`).
   * @default false - per topic
   */
  readonly highThroughput?: boolean;
  /**
   * Largest message in bytes (1,024–1,048,576), set explicitly as the topic's `MaximumMessageSize`.
   * @default 262144
   */
  readonly maxMessageSizeBytes?: number;
  /**
   * IAM principal ARNs allowed to publish (besides identities in this account that are granted
   * `sns:Publish` by IAM). Each also gets the KMS actions publishing to an encrypted topic needs.
   * @default []
   */
  readonly publishers?: readonly string[];
  /**
   * Let CloudWatch alarms of this account publish (the alarm topic).
   * @default false
   */
  readonly allowCloudWatchAlarms?: boolean;
  /**
   * Removal policy of the topic's key.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The topic name rule and the publishers rule are the construct's; the SNS settings rules are the topology's. */
const RULES: readonly PropsRule<FanoutTopicProps>[] = [
  (p) =>
    isResolved(p.topicName) && (p.fifo ?? false) !== p.topicName.endsWith('.fifo')
      ? `topicName '${p.topicName}' must end in '.fifo' exactly when fifo is true (fifo: ${p.fifo ?? false}); rename the topic or change fifo`
      : undefined,
  ...fromTopologyRules(TOPIC_RULES, (p: FanoutTopicProps) => ({
    fifo: p.fifo,
    contentBasedDeduplication: p.contentBasedDeduplication,
    archiveRetentionDays: resolvedOrUndefined(p.archiveRetentionDays),
    highThroughput: p.highThroughput,
    maxMessageSizeBytes: resolvedOrUndefined(p.maxMessageSizeBytes),
  })),
  (p) => {
    const wildcard = (p.publishers ?? []).find((arn) => arn === '*' || arn.includes('*'));
    return wildcard ? `publishers must name principals, not wildcards (given '${wildcard}')` : undefined;
  },
];

/** An SNS topic encrypted with its own rotating CMK, TLS-only, publishable by named principals only. */
export class FanoutTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: FanoutTopicProps) {
    super(scope, id);
    validateProps(this, props, RULES);
    this.key = createCustomerManagedKey(this, 'Key', {
      description: `Encrypts messages of SNS topic ${props.topicName}`,
      removalPolicy: props.removalPolicy,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: props.topicName,
      fifo: props.fifo || undefined,
      contentBasedDeduplication: props.contentBasedDeduplication || undefined,
      messageRetentionPeriodInDays: props.archiveRetentionDays,
      fifoThroughputScope: props.highThroughput ? sns.FifoThroughputScope.MESSAGE_GROUP : undefined,
      masterKey: this.key,
      enforceSSL: true,
    });
    (this.topic.node.defaultChild as sns.CfnTopic).maximumMessageSize =
      props.maxMessageSizeBytes ?? LIMITS.snsMessageBytesDefault;
    for (const arn of props.publishers ?? []) this.allowPublisher(new iam.ArnPrincipal(arn));
    if (props.allowCloudWatchAlarms) this.allowCloudWatchAlarms();
  }

  /** Lets a principal publish: `sns:Publish` in the topic policy plus the KMS actions in the key policy. */
  allowPublisher(principal: iam.IPrincipal): void {
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({ principals: [principal], actions: ['sns:Publish'], resources: [this.topic.topicArn] }),
    );
    allowPrincipalToUseKey(this.key, principal);
  }

  private allowCloudWatchAlarms(): void {
    const cloudwatch = 'cloudwatch.amazonaws.com';
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(cloudwatch)],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.topic.stack.account } },
      }),
    );
    allowServiceToUseKey(this.key, cloudwatch, { sourceAccount: true });
  }
}
