import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FilterPolicy } from '../topology/index.ts';
import { allowServiceToUseKey } from './encryption.ts';
import { acknowledgeNag } from './nag-suppressions.ts';
import type { EndpointQueues } from './endpoint-queues.ts';
import { validateProps, type PropsRule } from './validate-props.ts';

export interface TopicSubscriptionProps {
  readonly topic: sns.ITopic;
  /** Whether the topic is FIFO (its subscription DLQ must then be FIFO too). */
  readonly topicFifo: boolean;
  /** The endpoint's queues; the subscription delivers to `queues.queue`. */
  readonly queues: EndpointQueues;
  /** Physical name of the subscription's own DLQ (messages SNS could not deliver to the queue). */
  readonly subscriptionDeadLetterQueueName: string;
  /**
   * Filter policy (SNS JSON syntax) on message attributes or body.
   * @default - every message of the topic
   */
  readonly filterPolicy?: FilterPolicy;
  /**
   * What the filter policy matches.
   * @default 'attributes'
   */
  readonly filterPolicyScope?: 'attributes' | 'body';
  /**
   * Deliver the published message without the SNS JSON envelope.
   * @default false
   */
  readonly rawDelivery?: boolean;
}

const RULES: readonly PropsRule<TopicSubscriptionProps>[] = [
  (p) =>
    p.subscriptionDeadLetterQueueName.endsWith('.fifo') !== p.topicFifo
      ? `subscription DLQ '${p.subscriptionDeadLetterQueueName}' must be FIFO exactly when the topic is (topic FIFO: ${p.topicFifo}); SNS rejects any other redrive target`
      : undefined,
  (p) => {
    const nested = Object.entries(p.filterPolicy ?? {}).find(([, value]) => !Array.isArray(value));
    return p.filterPolicyScope !== 'body' && nested
      ? `attribute filter policy key '${nested[0]}' must be a list of conditions (nested keys only work with filterPolicyScope 'body')`
      : undefined;
  },
];

const SNS_SERVICE = 'sns.amazonaws.com';

/**
 * Subscribes an endpoint's queue to a topic with its filter policy and raw-delivery setting, and gives
 * the subscription its own DLQ. CDK lets SNS send to the DLQ (queue policy) but does not add the key
 * policy SNS needs to write to a CMK-encrypted DLQ; this construct adds it.
 */
export class TopicSubscription extends Construct {
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: TopicSubscriptionProps) {
    super(scope, id);
    validateProps(this, props, RULES);
    this.deadLetterQueue = props.queues.newDeadLetterQueue(
      'SubscriptionDeadLetterQueue',
      props.subscriptionDeadLetterQueueName,
      props.topicFifo || undefined,
    );
    acknowledgeNag(this.deadLetterQueue, 'subscriptionDeadLetterQueue');
    allowServiceToUseKey(props.queues.key, SNS_SERVICE, { sourceArn: props.topic.topicArn });
    const body = props.filterPolicyScope === 'body';
    props.topic.addSubscription(
      new subscriptions.SqsSubscription(props.queues.queue, {
        rawMessageDelivery: props.rawDelivery ?? false,
        deadLetterQueue: this.deadLetterQueue,
        filterPolicy: !body && props.filterPolicy ? toAttributeFilter(props.filterPolicy) : undefined,
        filterPolicyWithMessageBody: body && props.filterPolicy ? toBodyFilter(props.filterPolicy) : undefined,
      }),
    );
  }
}

/*
 * The topology's filter policy is plain SNS JSON; CDK wants it as SubscriptionFilter objects.
 * `SubscriptionFilter` carries the JSON conditions verbatim, so no meaning is lost in translation.
 */
function toAttributeFilter(policy: FilterPolicy): Record<string, sns.SubscriptionFilter> {
  const filter: Record<string, sns.SubscriptionFilter> = {};
  for (const [key, value] of Object.entries(policy)) {
    filter[key] = new sns.SubscriptionFilter([...(value as readonly unknown[])]);
  }
  return filter;
}

function toBodyFilter(policy: FilterPolicy): Record<string, sns.FilterOrPolicy> {
  const filter: Record<string, sns.FilterOrPolicy> = {};
  for (const [key, value] of Object.entries(policy)) {
    filter[key] = Array.isArray(value)
      ? sns.FilterOrPolicy.filter(new sns.SubscriptionFilter([...value]))
      : sns.FilterOrPolicy.policy(toBodyFilter(value as FilterPolicy));
  }
  return filter;
}
