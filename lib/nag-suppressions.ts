import { Names, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { FanoutStackError } from './errors.ts';

/**
 * Every cdk-nag finding this app acknowledges, with the reason, in one place. Constructs apply them
 * to the exact resource they concern (`acknowledgeNag`), never to the whole stack, so a new resource
 * with the same problem still fails the check.
 */
export const NAG_SUPPRESSIONS = {
  /** A DLQ is the end of the line: giving it a DLQ of its own would only move the problem. */
  deadLetterQueue: {
    ids: ['Serverless-SQSRedrivePolicy'],
    reason:
      'This queue is the dead-letter queue of an endpoint queue; it is watched by a "not empty" alarm, and a DLQ of a DLQ would only move the problem.',
  },
  /** cdk-nag recognises SQS redrive targets as DLQs, but not SNS subscription redrive targets. */
  subscriptionDeadLetterQueue: {
    ids: ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy'],
    reason:
      'This queue is the dead-letter queue of an SNS subscription (its RedrivePolicy target, which cdk-nag does not recognise as a DLQ); it is watched by a "not empty" alarm, and a DLQ of a DLQ would only move the problem.',
  },
  /** at-most-once endpoints drop failures by design. */
  atMostOnceQueue: {
    ids: ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy'],
    reason:
      'At-most-once endpoint: failures are counted and dropped by design (no retries, no DLQ hop), as the topology declares.',
  },
  /** X-Ray has no resource-level permissions. */
  xrayTracing: {
    ids: ['AwsSolutions-IAM5[Resource::*]'],
    reason:
      'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so their resource must be "*". Every other statement names its resources.',
  },
  /** Claim-check objects are named at publish time; the key prefix is the narrowest scope. */
  claimCheckReads: {
    ids: ['AwsSolutions-IAM5[Resource::{payloadObjects}]'],
    reason:
      "Consumers read claim-check payloads (s3:GetObject only) whose keys are chosen by publishers at send time; the grant is limited to the claim-check/ prefix of the stack's own payload bucket.",
  },
  /** Reply objects are named per reply at run time; the consumer's own reply prefix is the narrowest scope. */
  claimCheckReplies: {
    ids: ['AwsSolutions-IAM5[Resource::{replyObjects}]'],
    reason:
      "Request/reply consumers store replies too large for a message (s3:PutObject only) under keys named per reply at run time; the grant is limited to the consumer's own claim-check/replies/<consumer>/ prefix of the stack's payload bucket.",
  },
  /** Reply queues are created per requester at run time; their name prefix is the narrowest scope. */
  replyQueues: {
    ids: ['AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sqs:<AWS::Region>:<AWS::AccountId>:{replyQueuePrefix}*]'],
    reason:
      "Request/reply: each requester creates its own temporary reply queue at run time, so the consumer may only sqs:SendMessage to queues named with this stack's reply prefix.",
  },
  /** Lambda DLQs and ESM destinations do not apply to SQS-triggered functions. */
  sqsTriggeredFunction: {
    ids: ['Serverless-LambdaDLQ', 'Serverless-LambdaEventSourceMappingDestination'],
    reason:
      "The function is invoked synchronously by an SQS event source mapping: a Lambda DLQ only applies to asynchronous invocations and SQS mappings support no on-failure destination. Failed records go to the source queue's redrive DLQ instead.",
  },
  /** Claim-check payloads are transient and private. */
  payloadBucketAccessLogs: {
    ids: ['AwsSolutions-S1'],
    reason:
      'Claim-check payloads are private, TLS-only, CMK-encrypted and expire once no message can point at them; access is attributable through CloudTrail, and an access-log bucket would need its own exemption from this rule.',
  },
} as const satisfies Record<string, { readonly ids: readonly string[]; readonly reason: string }>;

export type NagSuppressionKey = keyof typeof NAG_SUPPRESSIONS;

/**
 * Acknowledges the findings of one suppression entry on one construct (and its children).
 * `{name}` placeholders in an id (a finding's resource, e.g. `<Bucket.Arn>/prefix/*`) come from `params`.
 */
export function acknowledgeNag(scope: IConstruct, key: NagSuppressionKey, params: Record<string, string> = {}): void {
  const { ids, reason } = NAG_SUPPRESSIONS[key];
  for (const template of ids) {
    const id = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined)
        throw new FanoutStackError(`nag suppression '${key}' needs the parameter '${name}': pass it to acknowledgeNag`);
      return value;
    });
    Validations.of(scope).acknowledge({ id, reason });
  }
}

/**
 * How cdk-nag prints a resource ARN built from a construct's `Arn` attribute plus a suffix, as seen
 * from `seenFrom`: in a nested stack the ARN is a parameter CDK names `referenceto<unique id>Arn`.
 */
export function nagArnFinding(
  resource: IConstruct & { readonly node: IConstruct['node'] },
  suffix: string,
  seenFrom: IConstruct = resource,
): string {
  const cfn = resource.node.defaultChild as CfnElement;
  const stack = Stack.of(resource);
  if (Stack.of(seenFrom) !== stack) return `<referenceto${Names.nodeUniqueId(cfn.node)}Arn>${suffix}`;
  return `<${stack.resolve(stack.getLogicalId(cfn))}.Arn>${suffix}`;
}
