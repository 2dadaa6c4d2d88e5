import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/**
 * A topic of the root stack as seen from a nested endpoint stack: its ARN arrives as a nested
 * stack parameter. Subscribing through CDK's own `Topic` object would make the nested stack depend
 * on its parent (a cycle CDK refuses); `Topic.fromTopicArn` cannot tell a FIFO topic from a token ARN.
 */
export class TopicReference extends sns.TopicBase {
  readonly topicArn: string;
  readonly topicName: string;
  readonly fifo: boolean;
  readonly contentBasedDeduplication: boolean;
  readonly masterKey = undefined;
  protected readonly autoCreatePolicy = false;

  constructor(scope: Construct, id: string, topic: sns.ITopic) {
    super(scope, id);
    this.topicArn = topic.topicArn;
    this.topicName = topic.topicName;
    this.fifo = topic.fifo;
    this.contentBasedDeduplication = topic.contentBasedDeduplication;
  }
}
