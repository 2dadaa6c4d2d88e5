/** CloudFormation's per-stack quotas (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html). */
export const CLOUDFORMATION_STACK_LIMITS = {
  resources: 500,
  outputs: 200,
  parameters: 200,
  /** Template body uploaded to S3 (what `cdk deploy` does for every stack and nested stack). */
  templateBytes: 1_000_000,
} as const;

/**
 * New endpoints go into a stack only while it stays under this share of every limit. The rest is
 * headroom for what existing endpoints may grow into (a Fanout release or a topology option adding
 * resources to every endpoint) without any endpoint ever having to move.
 */
export const PLACEMENT_FILL_RATIO = 0.8;

/** Resources a new endpoint is assumed to cost before any endpoint of this synthesis has been measured. */
export const FIRST_ENDPOINT_RESOURCE_ESTIMATE = 30;

/** What one stack holds so far, in the units of CLOUDFORMATION_STACK_LIMITS that placement tracks. */
export interface StackTally {
  resources: number;
  outputs: number;
}

/** Whether `next` more fits in a stack holding `tally`, under PLACEMENT_FILL_RATIO of each limit. */
export function fitsWithMargin(tally: StackTally, next: StackTally): boolean {
  const room = (limit: number) => Math.floor(limit * PLACEMENT_FILL_RATIO);
  return (
    tally.resources + next.resources <= room(CLOUDFORMATION_STACK_LIMITS.resources) &&
    tally.outputs + next.outputs <= room(CLOUDFORMATION_STACK_LIMITS.outputs)
  );
}
