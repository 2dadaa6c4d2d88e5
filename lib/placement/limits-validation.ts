import type { Stack } from 'aws-cdk-lib';
import { renderedTemplate } from './rendered-template.ts';
import { CLOUDFORMATION_STACK_LIMITS } from './stack-limits.ts';

/** How the template of a stack measures against each of CloudFormation's per-stack limits. */
export function measureTemplate(stack: Stack): Record<keyof typeof CLOUDFORMATION_STACK_LIMITS, number> {
  const template = renderedTemplate(stack);
  return {
    resources: Object.keys(template.Resources ?? {}).length,
    outputs: Object.keys(template.Outputs ?? {}).length,
    parameters: Object.keys(template.Parameters ?? {}).length,
    // As the CLI writes and uploads it (one-space indentation).
    templateBytes: Buffer.byteLength(JSON.stringify(template, undefined, 1)),
  };
}

/**
 * Fails synthesis when a stack's template breaks one of CloudFormation's limits, naming the stack,
 * the limit and the fix. Runs after references are resolved, so nested stacks' parameters count.
 */
export function validateStackLimits(stack: Stack, label: string): void {
  stack.node.addValidation({
    validate: () => {
      const measured = measureTemplate(stack);
      return Object.entries(CLOUDFORMATION_STACK_LIMITS)
        .filter(([limit, max]) => measured[limit as keyof typeof measured] > max)
        .map(
          ([limit, max]) =>
            `${label}: its template has ${measured[limit as keyof typeof measured]} ${limit}, over CloudFormation's limit of ${max}. ` +
            'Fix: new endpoints already go to other stacks; to shrink this one, move endpoints out of it in the placement file ' +
            "(each move replaces that endpoint's queues: accept it with -c fanout:acceptReplacement=<endpoint>) or turn off per-endpoint features that add resources.",
        );
    },
  });
}
