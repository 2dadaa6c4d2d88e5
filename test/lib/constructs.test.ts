import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { Consumer } from '../../lib/consumer.ts';
import { EndpointQueues } from '../../lib/endpoint-queues.ts';
import { InvalidConstructPropsError } from '../../lib/errors.ts';
import { FanoutTopic } from '../../lib/topic.ts';
import { TopicSubscription } from '../../lib/topic-subscription.ts';
import { type TopologyValidationError, validateTopology } from '../../topology/index.ts';
import { FIXTURE_HANDLERS } from '../fixtures/app/handlers.ts';
import { topologyWith } from '../support/topology-fixtures.ts';

const newStack = () => new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
const PRODUCER = 'arn:aws:iam::123456789012:role/order-service';

describe('FanoutTopic', () => {
  it('grants publishing to each named principal in the topic policy and the KMS actions in the key policy', () => {
    const stack = newStack();
    const orders = new FanoutTopic(stack, 'Orders', { topicName: 'orders', publishers: [PRODUCER] });
    const template = Template.fromStack(stack);
    const topicRef = { Ref: stack.getLogicalId(orders.topic.node.defaultChild as sns.CfnTopic) };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Principal: '*',
            Resource: topicRef,
          },
          { Effect: 'Allow', Action: 'sns:Publish', Principal: { AWS: PRODUCER }, Resource: topicRef, Sid: '1' },
        ],
      },
    });
    const key = Object.values(template.findResources('AWS::KMS::Key'))[0]!;
    expect(key.Properties.KeyPolicy.Statement).toContainEqual({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Effect: 'Allow',
      Principal: { AWS: PRODUCER },
      Resource: '*',
    });
  });

  it('rejects wildcard publishers and FIFO options on a standard topic, all at once', () => {
    const create = () =>
      new FanoutTopic(newStack(), 'Bad', {
        topicName: 'bad',
        publishers: ['*'],
        contentBasedDeduplication: true,
        archiveRetentionDays: 400,
      });
    expect(create).toThrow(InvalidConstructPropsError);
    expect(create).toThrow(
      'Test/Bad: contentBasedDeduplication only applies to FIFO topics; set fifo: true or remove contentBasedDeduplication; ' +
        'archiveRetentionDays only applies to FIFO topics; set fifo: true or remove archiveRetentionDays; ' +
        'archiveRetentionDays must be an integer from 1 to 365 (given 400); set archiveRetentionDays within that range; ' +
        "publishers must name principals, not wildcards (given '*')",
    );
  });

  it('rejects a FIFO topic whose name lacks the .fifo suffix', () => {
    expect(() => new FanoutTopic(newStack(), 'T', { topicName: 'payments', fifo: true })).toThrow(
      "Test/T: topicName 'payments' must end in '.fifo' exactly when fifo is true (fifo: true); rename the topic or change fifo",
    );
  });
});

describe('EndpointQueues', () => {
  it('lets each named producer send to the queue and encrypt with its key', () => {
    const stack = newStack();
    const queues = new EndpointQueues(stack, 'Q', {
      queueName: 'jobs',
      visibilityTimeoutSeconds: 360,
      producers: [PRODUCER],
    });
    const template = Template.fromStack(stack);
    const queueArn = { 'Fn::GetAtt': [stack.getLogicalId(queues.queue.node.defaultChild as sqs.CfnQueue), 'Arn'] };
    const statements = Object.values(template.findResources('AWS::SQS::QueuePolicy'))[0]!.Properties.PolicyDocument
      .Statement;
    expect(statements).toContainEqual({
      Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
      Effect: 'Allow',
      Principal: { AWS: PRODUCER },
      Resource: queueArn,
    });
    const key = Object.values(template.findResources('AWS::KMS::Key'))[0]!;
    expect(key.Properties.KeyPolicy.Statement).toContainEqual({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Effect: 'Allow',
      Principal: { AWS: PRODUCER },
      Resource: '*',
    });
  });

  it('rejects a redrive without a DLQ name', () => {
    expect(
      () => new EndpointQueues(newStack(), 'Q', { queueName: 'q', maxReceiveCount: 3, visibilityTimeoutSeconds: 180 }),
    ).toThrow('Test/Q: maxReceiveCount 3 needs a deadLetterQueueName to redrive to');
  });

  it('rejects a DLQ whose FIFO-ness differs from the queue', () => {
    expect(
      () =>
        new EndpointQueues(newStack(), 'Q', {
          queueName: 'q.fifo',
          deadLetterQueueName: 'q-dlq',
          fifo: true,
          maxReceiveCount: 3,
          visibilityTimeoutSeconds: 180,
        }),
    ).toThrow("Test/Q: queue name 'q-dlq' must end in '.fifo' exactly when fifo is true (fifo: true)");
  });
});

describe('TopicSubscription', () => {
  it('rejects a standard subscription DLQ on a FIFO topic', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'T', { topicName: 't.fifo', fifo: true });
    const queues = new EndpointQueues(stack, 'Q', { queueName: 'q.fifo', fifo: true, visibilityTimeoutSeconds: 180 });
    expect(
      () =>
        new TopicSubscription(stack, 'S', {
          topic,
          topicFifo: true,
          queues,
          subscriptionDeadLetterQueueName: 'q-sub-dlq',
        }),
    ).toThrow(
      "Test/S: subscription DLQ 'q-sub-dlq' must be FIFO exactly when the topic is (topic FIFO: true); SNS rejects any other redrive target",
    );
  });
});

describe('Consumer', () => {
  it('rejects a timeout and memory outside the Lambda limits', () => {
    const stack = newStack();
    const queues = new EndpointQueues(stack, 'Q', { queueName: 'q', visibilityTimeoutSeconds: 180 });
    expect(
      () =>
        new Consumer(stack, 'C', {
          functionName: 'c',
          entry: FIXTURE_HANDLERS.jobs!,
          queue: queues.queue,
          timeoutSeconds: 901,
          memoryMb: 64,
          batchSize: 10,
          environment: {},
          logRetentionDays: 7,
        }),
    ).toThrow(
      'Test/C: function timeout must be an integer from 1 to 900 s (given 901); set consumer.timeoutSeconds within that range; ' +
        'function memory must be an integer from 128 to 10240 MiB (given 64); set consumer.memoryMb within that range',
    );
  });
});

describe('Consumer rules and the topology validator', () => {
  const consumerWith = (extra: Partial<ConstructorParameters<typeof Consumer>[2]>) => {
    const stack = newStack();
    const queues = new EndpointQueues(stack, 'Q', { queueName: 'q', visibilityTimeoutSeconds: 180 });
    return () =>
      new Consumer(stack, 'C', {
        functionName: 'c',
        entry: FIXTURE_HANDLERS.jobs!,
        queue: queues.queue,
        timeoutSeconds: 30,
        memoryMb: 256,
        batchSize: 10,
        environment: {},
        logRetentionDays: 7,
        ...extra,
      });
  };
  const topologyRules = (consumer: Record<string, unknown>) => {
    try {
      validateTopology(topologyWith({ queue: { consumer: { handler: 'tasks', ...consumer } } }));
    } catch (error) {
      return (error as TopologyValidationError).problems.map((p) => p.rule);
    }
    return [];
  };

  it.each([
    { pollers: { min: 1, max: 5 } },
    { pollers: { min: 10, max: 5 } },
    { pollers: { min: 2, max: 5 }, maxConcurrency: 5 },
    { maxConcurrency: 1 },
    { timeoutSeconds: 0 },
  ])('reports %j with the rule the topology reports', (settings) => {
    const rules = topologyRules(settings);
    expect(rules).toHaveLength(1);
    expect(consumerWith(settings)).toThrow(rules[0]);
  });
});
