import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Construct } from 'constructs';
import { resolveTopology, type ResolvedTopology } from '../topology/resolve.ts';
import type { Topology } from '../topology/types.ts';
import { FanoutEndpoint } from './fanout-endpoint.ts';
import { FanoutDashboard } from './monitoring/dashboard.ts';
import { addStackOutputs } from './outputs.ts';
import { PayloadBucket } from './payload-bucket.ts';
import { FanoutTables } from './tables.ts';
import { FanoutTopic } from './topic.ts';

export interface FanoutStackProps extends StackProps {
  /** The topology to compile. */
  readonly topology: Topology;
  /** Stage name (`dev`, `prod`): selects thresholds, retention and removal policies. */
  readonly stage: string;
}

/** The whole topology as one stack: topics, endpoints, tables, payload bucket, dashboard, outputs. */
export class FanoutStack extends Stack {
  readonly resolved: ResolvedTopology;
  readonly topics = new Map<string, FanoutTopic>();
  readonly endpoints = new Map<string, FanoutEndpoint>();
  readonly tables: FanoutTables;
  readonly payloads: PayloadBucket;
  readonly dashboard: FanoutDashboard;

  constructor(scope: Construct, id: string, props: FanoutStackProps) {
    super(scope, id, props);
    const resolved = (this.resolved = resolveTopology(props.topology, props.stage));
    const removalPolicy = resolved.stage.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    for (const topic of resolved.topics) {
      this.topics.set(
        topic.name,
        new FanoutTopic(this, `Topic-${topic.name}`, {
          topicName: topic.physicalName,
          fifo: topic.fifo,
          contentBasedDeduplication: topic.contentBasedDeduplication,
          archiveRetentionDays: topic.archiveRetentionDays,
          publishers: topic.publishers,
          allowCloudWatchAlarms: topic.name === resolved.alarmTopic.name,
          removalPolicy,
        }),
      );
    }
    this.tables = new FanoutTables(this, 'Tables', {
      idempotencyTableName: resolved.idempotencyTable,
      tables: resolved.tables,
      removalPolicy,
    });
    this.payloads = new PayloadBucket(this, 'Payloads', { removalPolicy, expiryDays: resolved.payloadRetentionDays });
    this.dashboard = new FanoutDashboard(this, 'Dashboard', { dashboardName: resolved.prefix });
    const alarmAction = new actions.SnsAction(this.topics.get(resolved.alarmTopic.name)!.topic);
    for (const endpoint of resolved.endpoints) {
      this.endpoints.set(
        endpoint.name,
        new FanoutEndpoint(this, `Endpoint-${endpoint.name}`, {
          endpoint,
          topic: endpoint.topic === undefined ? undefined : this.topics.get(endpoint.topic),
          stage: resolved.stage,
          producers: props.topology.workQueues?.find((q) => q.name === endpoint.name)?.producers,
          prefix: resolved.prefix,
          tables: this.tables,
          payloads: this.payloads,
          alarmAction,
          dashboard: this.dashboard,
        }),
      );
    }
    addStackOutputs(this, this);
  }
}
