import { CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { StatefulIdentity } from './placement-record.ts';
import { type RenderedTemplate, renderedTemplate } from './rendered-template.ts';

/**
 * Resource types that hold data, with the properties whose change makes CloudFormation replace
 * them (AWS resource reference, "Update requires: Replacement"). A move to another stack is a
 * replacement too: the resource is deleted in one stack and created empty in the other.
 */
export const STATEFUL_TYPES: Readonly<
  Record<string, { readonly replacedOn: readonly string[]; readonly holds: string }>
> = {
  'AWS::SQS::Queue': { replacedOn: ['QueueName', 'FifoQueue'], holds: 'its messages' },
  'AWS::SNS::Topic': { replacedOn: ['TopicName', 'FifoTopic'], holds: 'its subscriptions and archived messages' },
  'AWS::DynamoDB::Table': { replacedOn: ['TableName', 'KeySchema'], holds: 'its items' },
  'AWS::S3::Bucket': { replacedOn: ['BucketName'], holds: 'its objects' },
};

/** One stack of the app and its number in the placement record (0 = root). */
export interface NumberedStack {
  readonly index: number;
  readonly stack: Stack;
  /** Where Fanout's resources of this stack sit (paths are recorded below it). @default - the stack */
  readonly scope?: IConstruct;
}

const PREFIX_MARK = '${prefix}';

function identityOf(resource: CfnResource, index: number, prefix: string): StatefulIdentity {
  const stack = Stack.of(resource);
  const rendered = stack.resolve(renderedTemplate(resource)) as RenderedTemplate;
  const logicalId = stack.resolve(resource.logicalId) as string;
  const properties = rendered.Resources?.[logicalId]?.Properties ?? {};
  const replacedOn: Record<string, string> = {};
  for (const name of STATEFUL_TYPES[resource.cfnResourceType]!.replacedOn) {
    const value = properties[name];
    if (value !== undefined)
      replacedOn[name] = (typeof value === 'string' ? value : JSON.stringify(value)).split(prefix).join(PREFIX_MARK);
  }
  return { stack: index, type: resource.cfnResourceType, logicalId, replacedOn };
}

/** The construct path of a resource below `base`, without CDK's trailing `/Resource`. */
function pathBelow(resource: IConstruct, base: IConstruct): string {
  return resource.node.path.slice(base.node.path.length + 1).replace(/\/Resource$/, '');
}

/** Every stateful resource of the given stacks (not of stacks nested below them), by path inside its stack. */
export function statefulIdentities(stacks: readonly NumberedStack[], prefix: string): Record<string, StatefulIdentity> {
  const identities: Record<string, StatefulIdentity> = {};
  for (const { index, stack, scope = stack } of stacks) {
    for (const c of scope.node.findAll()) {
      if (!CfnResource.isCfnResource(c) || !(c.cfnResourceType in STATEFUL_TYPES) || Stack.of(c) !== stack) continue;
      identities[pathBelow(c, scope)] = identityOf(c, index, prefix);
    }
  }
  return identities;
}
