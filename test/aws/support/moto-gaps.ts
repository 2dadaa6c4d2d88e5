import { CloudWatchClient, PutMetricAlarmCommand, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import type { CfnResource, Deployed, Template } from './moto-deploy.ts';
import { MOTO_ACCOUNT, MOTO_REGION, motoClientConfig } from './moto-env.ts';

/** How a resource type moto's CloudFormation skips is handled: created through its service API, or left out. */
export type GapHandling =
  | { readonly createdBy: 'SNS Subscribe' | 'CloudWatch PutMetricAlarm' }
  | { readonly leftOut: string };

/** Types of the template that moto accepted but did not create (with how many resources each). */
export function skippedTypes(template: Template, deployed: Deployed): Map<string, number> {
  const skipped = new Map<string, number>();
  for (const [id, r] of Object.entries(template.Resources)) {
    if (!deployed.resources.has(id)) skipped.set(r.Type, (skipped.get(r.Type) ?? 0) + 1);
  }
  return skipped;
}

/** Ref and Fn::GetAtt of the resources moto did create (the only intrinsics these resources use). */
function resolver(deployed: Deployed) {
  const physical = (id: string) => {
    const r = deployed.resources.get(id);
    if (!r) throw new Error(`Cannot resolve a reference to '${id}': moto created no such resource.`);
    return r;
  };
  const queueName = (url: string) => url.slice(url.lastIndexOf('/') + 1);
  const getAtt = (id: string, attribute: string): string => {
    const r = physical(id);
    if (r.type === 'AWS::SQS::Queue' && attribute === 'Arn')
      return `arn:aws:sqs:${MOTO_REGION}:${MOTO_ACCOUNT}:${queueName(r.physicalId)}`;
    if (r.type === 'AWS::SQS::Queue' && attribute === 'QueueName') return queueName(r.physicalId);
    throw new Error(`Cannot resolve Fn::GetAtt ${id}.${attribute} (${r.type}): not needed so far, add it here.`);
  };
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const o = value as Record<string, unknown>;
    if ('Ref' in o) return physical(o.Ref as string).physicalId;
    if ('Fn::GetAtt' in o) {
      const [id, attribute] = o['Fn::GetAtt'] as [string, string];
      return getAtt(id, attribute);
    }
    const other = Object.keys(o).find((k) => k.startsWith('Fn::'));
    if (other) throw new Error(`Cannot resolve ${other}: not needed so far, add it here.`);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolve(v)]));
  };
  return resolve;
}

const attributeValue = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Creates the template's SNS subscriptions and CloudWatch alarms through their APIs, with the template's
 * properties resolved against what moto created: moto's CloudFormation skips both types.
 * Returns the number created per type.
 */
export async function createSkippedResources(
  endpoint: string,
  template: Template,
  deployed: Deployed,
): Promise<Map<string, number>> {
  const resolve = resolver(deployed);
  const sns = new SNSClient(motoClientConfig(endpoint));
  const cloudwatch = new CloudWatchClient(motoClientConfig(endpoint));
  const created = new Map<string, number>();
  const count = (type: string) => created.set(type, (created.get(type) ?? 0) + 1);
  const of = (type: string): CfnResource[] => Object.values(template.Resources).filter((r) => r.Type === type);
  try {
    await Promise.all([
      ...of('AWS::SNS::Subscription').map(async (r) => {
        const { TopicArn, Protocol, Endpoint, ...attributes } = resolve(r.Properties) as Record<string, unknown>;
        await sns.send(
          new SubscribeCommand({
            TopicArn: TopicArn as string,
            Protocol: Protocol as string,
            Endpoint: Endpoint as string,
            Attributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, attributeValue(v)])),
          }),
        );
        count(r.Type);
      }),
      ...of('AWS::CloudWatch::Alarm').map(async (r) => {
        await cloudwatch.send(new PutMetricAlarmCommand(resolve(r.Properties) as PutMetricAlarmCommandInput));
        count(r.Type);
      }),
    ]);
  } finally {
    sns.destroy();
    cloudwatch.destroy();
  }
  return created;
}
