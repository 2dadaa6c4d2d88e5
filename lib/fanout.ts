import { Stack } from 'aws-cdk-lib';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Construct } from 'constructs';
import { resolveTopology, type ResolvedTopology, type Topology } from '../topology/index.ts';
import { EndpointShards } from './endpoint-shards.ts';
import { StatefulReplacementError } from './errors.ts';
import { FanoutEndpoint } from './fanout-endpoint.ts';
import { type HandlerLocation, handlerResolver } from './handler-files.ts';
import { FanoutDashboard } from './monitoring/dashboard.ts';
import { addStackOutputs, coreOutputCount, endpointOutputCount } from './outputs.ts';
import { PayloadBucket } from './payload-bucket.ts';
import { emptyPlacementRecord, PLACEMENT_RECORD_VERSION, type PlacementRecord } from './placement/placement-record.ts';
import { replacementProblems } from './placement/replacement-rule.ts';
import { statefulIdentities } from './placement/stateful-resources.ts';
import { removalPolicyOf, stageFromContext } from './stage.ts';
import { FanoutTables } from './tables.ts';
import { FanoutTopic } from './topic.ts';
import { TopicReference } from './topic-reference.ts';

export interface FanoutProps {
  /** The topology to compile. */
  readonly topology: Topology;
  /**
   * Where the consumers' handler files are: a folder holding `<handler>.ts` for each consumer, or a
   * map from handler name to its file. Paths are resolved against the current directory.
   * @default 'handlers' - the folder `handlers/` of the CDK app (the directory `cdk synth` runs in)
   */
  readonly handlers?: HandlerLocation;
  /**
   * Stage name (`dev`, `prod`): selects thresholds, retention and removal policies.
   * @default - the `stage` context value (`cdk synth -c stage=prod`), else `dev`
   */
  readonly stage?: string;
  /**
   * Where earlier syntheses placed endpoints and what identifies each stateful resource (the
   * committed placement file). Recorded endpoints stay in their stack; a change that would replace a
   * recorded stateful resource fails the synthesis unless listed in `acceptReplacements`.
   * @default - an empty record: every endpoint is new
   */
  readonly placement?: PlacementRecord;
  /**
   * Replacements accepted on purpose: endpoint names, resource paths (`Endpoint-x/Queues/Queue`) or `*`.
   * @default []
   */
  readonly acceptReplacements?: readonly string[];
}

/**
 * The whole topology inside any stack, beside the stack's own resources: topics, tables, payload
 * bucket, dashboard and outputs, endpoints in the same stack until it is full, then in nested
 * endpoint stacks (see EndpointShards). Outputs keep their documented keys (OUTPUT_KEYS), so one
 * stack holds at most one Fanout.
 */
export class Fanout extends Construct {
  readonly resolved: ResolvedTopology;
  readonly topics = new Map<string, FanoutTopic>();
  readonly endpoints = new Map<string, FanoutEndpoint>();
  readonly tables: FanoutTables;
  readonly payloads: PayloadBucket;
  readonly dashboard: FanoutDashboard;
  readonly shards: EndpointShards;
  /** The placement record after this synthesis: what the placement file should now hold. */
  readonly placement: PlacementRecord;

  constructor(scope: Construct, id: string, props: FanoutProps) {
    super(scope, id);
    const root = Stack.of(this);
    this.resolved = resolveTopology(props.topology, props.stage ?? stageFromContext(this));
    const resolved = this.resolved;
    const handlerEntry = handlerResolver(props.handlers ?? 'handlers');
    const removalPolicy = removalPolicyOf(resolved.stage);
    for (const topic of resolved.topics) {
      this.topics.set(
        topic.name,
        new FanoutTopic(this, `Topic-${topic.name}`, {
          topicName: topic.physicalName,
          fifo: topic.fifo,
          contentBasedDeduplication: topic.contentBasedDeduplication,
          archiveRetentionDays: topic.archiveRetentionDays,
          highThroughput: topic.highThroughput,
          maxMessageSizeBytes: topic.maxMessageSizeBytes,
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
    this.shards = new EndpointShards(this, root, this.dashboard, resolved.prefix, {
      core: coreOutputCount(resolved),
      endpointMax: Math.max(0, ...resolved.endpoints.map(endpointOutputCount)),
    });

    const topicIn = (stack: Stack, name: string) => {
      const topic = this.topics.get(name)!;
      if (stack === root) return topic;
      const id = `TopicRef-${name}`;
      return {
        topic:
          (stack.node.tryFindChild(id) as TopicReference | undefined) ?? new TopicReference(stack, id, topic.topic),
      };
    };
    const previous = props.placement ?? emptyPlacementRecord();
    const placedAt: Record<string, number> = {};
    const build = (endpoint: ResolvedTopology['endpoints'][number], index: number) => {
      const shard = this.shards.shard(index);
      const built = new FanoutEndpoint(index === 0 ? this : shard.stack, `Endpoint-${endpoint.name}`, {
        endpoint,
        handlerEntry: handlerEntry(endpoint.consumer.handler),
        topic: endpoint.topic === undefined ? undefined : topicIn(shard.stack, endpoint.topic),
        stage: resolved.stage,
        prefix: resolved.prefix,
        tables: this.tables,
        payloads: this.payloads,
        alarmAction,
        dashboard: shard.dashboard,
      });
      this.endpoints.set(endpoint.name, built);
      this.shards.add(index, built, endpointOutputCount(endpoint));
      placedAt[endpoint.name] = index;
    };
    // Recorded endpoints first, so the room left in each stack is known before new ones are placed.
    for (const endpoint of resolved.endpoints) {
      const recorded = previous.endpoints[endpoint.name];
      if (recorded !== undefined) build(endpoint, recorded);
    }
    for (const endpoint of resolved.endpoints) {
      if (previous.endpoints[endpoint.name] === undefined) build(endpoint, this.shards.placeNew());
    }
    addStackOutputs(this, this);

    const stateful = statefulIdentities(
      this.shards.all().map((s) => ({ index: s.index, stack: s.stack, scope: s.index === 0 ? this : s.stack })),
      resolved.prefix,
    );
    const problems = replacementProblems(previous.stateful, stateful, props.acceptReplacements ?? []);
    if (problems.length > 0) throw new StatefulReplacementError(problems);
    this.placement = { version: PLACEMENT_RECORD_VERSION, endpoints: placedAt, stateful };
  }
}
