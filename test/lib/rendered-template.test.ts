import { App, CfnOutput, type CfnResource, Stack } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { renderedTemplate } from '../../lib/placement/rendered-template.ts';

describe('renderedTemplate (the one call into CDK’s template rendering)', () => {
  const stack = new Stack(new App(), 'Rendered');
  const queue = new Queue(stack, 'Jobs', { queueName: 'jobs' });
  const cfn = queue.node.defaultChild as CfnResource;
  cfn.addPropertyOverride('QueueName', 'jobs-overridden');
  new CfnOutput(stack, 'JobsUrl', { value: queue.queueUrl });

  it("renders one resource with its escape-hatch overrides, which the L1's own fields miss", () => {
    const logicalId = stack.resolve(cfn.logicalId) as string;
    const rendered = stack.resolve(renderedTemplate(cfn)) as ReturnType<typeof renderedTemplate>;
    expect(rendered.Resources?.[logicalId]?.Properties?.QueueName).toBe('jobs-overridden');
    expect((queue.node.defaultChild as unknown as { queueName?: string }).queueName).toBe('jobs');
  });

  it('renders a whole stack: its resources and outputs', () => {
    const template = renderedTemplate(stack);
    expect(Object.keys(template.Resources ?? {})).toHaveLength(1);
    expect(Object.keys(template.Outputs ?? {})).toEqual(['JobsUrl']);
  });
});
