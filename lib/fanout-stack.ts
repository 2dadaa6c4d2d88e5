import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Fanout, type FanoutProps } from './fanout.ts';

export interface FanoutStackProps extends StackProps, FanoutProps {}

/**
 * A stack that holds one topology and nothing else: the `Fanout` construct under the id `Default`,
 * which CDK leaves out of logical ids, so its resources keep the ids a stack of their own gives them.
 * To put Fanout beside other resources, add `new Fanout(...)` to your own stack instead.
 */
export class FanoutStack extends Stack {
  readonly fanout: Fanout;

  constructor(scope: Construct, id: string, props: FanoutStackProps) {
    super(scope, id, props);
    this.fanout = new Fanout(this, 'Default', props);
  }

  get resolved() {
    return this.fanout.resolved;
  }
  get topics() {
    return this.fanout.topics;
  }
  get endpoints() {
    return this.fanout.endpoints;
  }
  get tables() {
    return this.fanout.tables;
  }
  get payloads() {
    return this.fanout.payloads;
  }
  get dashboard() {
    return this.fanout.dashboard;
  }
  get shards() {
    return this.fanout.shards;
  }
  /** The placement record after this synthesis: what the placement file should now hold. */
  get placement() {
    return this.fanout.placement;
  }
}
