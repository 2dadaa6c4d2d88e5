import type { Template } from 'aws-cdk-lib/assertions';

export interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, any>;
  readonly DependsOn?: string[];
  readonly DeletionPolicy?: string;
}

export type Resources = Record<string, CfnResource>;

export const resourcesOf = (template: Template): Resources => template.toJSON().Resources as Resources;

/** Every resource of a type, as [logicalId, resource] pairs. */
export function ofType(template: Template, type: string): [string, CfnResource][] {
  return Object.entries(resourcesOf(template)).filter(([, r]) => r.Type === type);
}

/** The one resource of a type whose property `key` equals `value`; fails loudly otherwise. */
export function findBy(template: Template, type: string, key: string, value: unknown): [string, CfnResource] {
  const found = ofType(template, type).filter(([, r]) => JSON.stringify(r.Properties?.[key]) === JSON.stringify(value));
  if (found.length !== 1)
    throw new Error(`expected one ${type} with ${key}=${JSON.stringify(value)}, found ${found.length}`);
  return found[0]!;
}

export const findQueue = (template: Template, name: string) => findBy(template, 'AWS::SQS::Queue', 'QueueName', name);

export const getAtt = (logicalId: string, attribute: string) => ({ 'Fn::GetAtt': [logicalId, attribute] });
export const ref = (logicalId: string) => ({ Ref: logicalId });

/** Logical id of a `{ Ref }` or `{ Fn::GetAtt }` value. */
export function referencedId(value: unknown): string | undefined {
  const v = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  return v?.Ref ?? v?.['Fn::GetAtt']?.[0];
}

/** Every policy statement of IAM policies, roles, topic/queue/bucket policies and key policies. */
export function allStatements(
  template: Template,
): { logicalId: string; type: string; statement: Record<string, any> }[] {
  const documents: [string, string, any][] = [];
  for (const [id, r] of Object.entries(resourcesOf(template))) {
    const p = r.Properties ?? {};
    for (const doc of [p.PolicyDocument, p.KeyPolicy, p.AssumeRolePolicyDocument])
      if (doc) documents.push([id, r.Type, doc]);
    for (const inline of p.Policies ?? []) documents.push([id, r.Type, inline.PolicyDocument]);
  }
  return documents.flatMap(([logicalId, type, doc]) =>
    (doc.Statement as Record<string, any>[]).map((statement) => ({ logicalId, type, statement })),
  );
}

export const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Replaces every CloudFormation intrinsic inside a Fn::Join with a marker so the joined JSON can be parsed. */
export function joinToString(value: unknown): string {
  const join = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return join[1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(join[0]);
}
