import { NestedStack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { FanoutDashboard } from './monitoring/dashboard.ts';

export interface EndpointStackProps {
  /** Its number in the placement record (1, 2, …). */
  readonly shard: number;
  /** `<app>-<stage>`: the dashboard is `<prefix>-endpoints-<shard>`. */
  readonly prefix: string;
}

/**
 * A nested stack holding endpoints that no longer fit in the root stack, with its own dashboard
 * (a CloudWatch dashboard holds at most 500 widgets). It deploys, updates and rolls back with the root.
 */
export class EndpointStack extends NestedStack {
  readonly shard: number;
  readonly dashboard: FanoutDashboard;

  constructor(scope: Construct, props: EndpointStackProps) {
    super(scope, endpointStackId(props.shard), {
      description: `Fanout endpoints, part ${props.shard} (${props.prefix})`,
    });
    this.shard = props.shard;
    this.dashboard = new FanoutDashboard(this, 'Dashboard', {
      dashboardName: `${props.prefix}-endpoints-${props.shard}`,
    });
  }
}

/** Construct id of nested endpoint stack `shard`. */
export const endpointStackId = (shard: number) => `Endpoints${shard}`;
