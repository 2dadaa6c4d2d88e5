import { CfnResource, type Stack } from 'aws-cdk-lib';
import type { Construct, IConstruct } from 'constructs';
import { EndpointStack } from './endpoint-stack.ts';
import type { FanoutDashboard } from './monitoring/dashboard.ts';
import { validateStackLimits } from './placement/limits-validation.ts';
import { FIRST_ENDPOINT_RESOURCE_ESTIMATE, fitsWithMargin, type StackTally } from './placement/stack-limits.ts';

/** A stack endpoints are built in: the root (0) or a nested endpoint stack (1, 2, …). */
export interface EndpointShard {
  readonly index: number;
  readonly stack: Stack;
  readonly dashboard: FanoutDashboard;
  /** What it holds so far, for placing the next endpoint. */
  readonly tally: StackTally;
}

/** Resources `scope` and its children define in `stack` (a nested stack's contents count in their own stack). */
const countResources = (scope: IConstruct, stack: Stack): number =>
  scope.node.findAll().filter((c) => CfnResource.isCfnResource(c) && c.stack === stack).length;

/**
 * The stacks endpoints go into. A recorded endpoint stays in its stack; a new one goes to the
 * lowest-numbered stack that still has room under PLACEMENT_FILL_RATIO of every limit, else to a
 * new nested stack. Nothing here ever moves an endpoint that is already placed.
 */
export class EndpointShards {
  readonly #shards = new Map<number, EndpointShard>();
  readonly #prefix: string;
  /** Where nested endpoint stacks are created (the Fanout construct). */
  readonly #scope: IConstruct;
  /** Largest cost of an endpoint built so far: the estimate for the next one. */
  #largestEndpoint: StackTally;
  #measured = false;

  /**
   * `coreOutputs`: the outputs the root stack has besides those of its endpoints; `endpointOutputs`:
   * the most outputs one endpoint adds (lib/outputs.ts counts both from the outputs it adds).
   */
  constructor(
    scope: IConstruct,
    root: Stack,
    rootDashboard: FanoutDashboard,
    prefix: string,
    outputs: { readonly core: number; readonly endpointMax: number },
  ) {
    this.#prefix = prefix;
    this.#scope = scope;
    this.#largestEndpoint = { resources: FIRST_ENDPOINT_RESOURCE_ESTIMATE, outputs: outputs.endpointMax };
    const coreOutputs = outputs.core;
    // +1: the AWS::CDK::Metadata resource CDK adds to each stack.
    this.#shards.set(0, {
      index: 0,
      stack: root,
      dashboard: rootDashboard,
      tally: { resources: countResources(root, root) + 1, outputs: coreOutputs },
    });
    validateStackLimits(root, `stack '${root.stackName}'`);
  }

  /** Shard `index`, creating its nested stack on first use. */
  shard(index: number): EndpointShard {
    const existing = this.#shards.get(index);
    if (existing) return existing;
    const root = this.#shards.get(0)!;
    const nested = new EndpointStack(this.#scope as Construct, { shard: index, prefix: this.#prefix });
    validateStackLimits(nested, `nested stack '${nested.node.path}'`);
    // The nested stack is one resource in the root; its dashboard output is its first output.
    root.tally.resources += 1;
    const shard = { index, stack: nested, dashboard: nested.dashboard, tally: { resources: 1, outputs: 1 } };
    this.#shards.set(index, shard);
    return shard;
  }

  /** Where a new endpoint goes: the lowest-numbered stack with room for the largest endpoint seen, else the next new one. */
  placeNew(): number {
    for (let index = 0; ; index++) {
      const shard = this.#shards.get(index);
      if (!shard || fitsWithMargin(shard.tally, this.#largestEndpoint)) return index;
    }
  }

  /** Counts a built endpoint into its stack's tally. */
  add(index: number, endpoint: IConstruct, outputs: number): void {
    const shard = this.shard(index);
    const cost = { resources: countResources(endpoint, shard.stack), outputs };
    shard.tally.resources += cost.resources;
    shard.tally.outputs += cost.outputs;
    this.#largestEndpoint = this.#measured
      ? {
          resources: Math.max(this.#largestEndpoint.resources, cost.resources),
          outputs: Math.max(this.#largestEndpoint.outputs, cost.outputs),
        }
      : cost;
    this.#measured = true;
  }

  /** The number of the shard whose stack is `stack`. */
  indexOf(stack: Stack): number {
    return this.all().find((s) => s.stack === stack)!.index;
  }

  /** The shards in use, root first. */
  all(): EndpointShard[] {
    return [...this.#shards.values()].sort((a, b) => a.index - b.index);
  }

  nested(): EndpointStack[] {
    return this.all().flatMap((s) => (s.stack instanceof EndpointStack ? [s.stack] : []));
  }
}
