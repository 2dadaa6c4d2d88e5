import type { CfnResource, Stack } from 'aws-cdk-lib';

/** A CloudFormation template, or the fragment of one resource, as CDK renders it. */
export interface RenderedTemplate {
  readonly Resources?: Record<string, { readonly Properties?: Record<string, unknown> }>;
  readonly Outputs?: Record<string, unknown>;
  readonly Parameters?: Record<string, unknown>;
}

/**
 * What CDK renders for a stack or one resource, overrides included, while the app is still being
 * built. aws-cdk-lib offers this only as `_toCloudFormation()`, which every construct and stack
 * has carried since CDK v1; the public alternatives (an L1's own fields) miss escape-hatch
 * overrides. This is the one place Fanout calls it, and test/lib/rendered-template.test.ts fails
 * first if an aws-cdk-lib release renames it.
 */
export function renderedTemplate(element: Stack | CfnResource): RenderedTemplate {
  const render = (element as unknown as { _toCloudFormation?: () => RenderedTemplate })._toCloudFormation;
  if (typeof render !== 'function') {
    throw new TypeError(
      "This aws-cdk-lib no longer renders templates through _toCloudFormation(). Fix: use the aws-cdk-lib version in Fanout's peerDependencies.",
    );
  }
  return render.call(element);
}
