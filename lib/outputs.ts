import { CfnOutput, Fn, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { OUTPUT_KEYS } from '../topology/outputs.ts';
import type { ResolvedEndpoint, ResolvedTopology } from '../topology/resolve.ts';
import type { EndpointShards } from './endpoint-shards.ts';
import type { FanoutEndpoint } from './fanout-endpoint.ts';
import { buildManifest } from './manifest.ts';
import type { FanoutDashboard } from './monitoring/dashboard.ts';
import type { PayloadBucket } from './payload-bucket.ts';
import type { FanoutTables } from './tables.ts';
import type { FanoutTopic } from './topic.ts';

/** The deployed resources whose names clients read from the stack's outputs. */
export interface OutputSources {
  readonly resolved: ResolvedTopology;
  readonly topics: ReadonlyMap<string, FanoutTopic>;
  readonly endpoints: ReadonlyMap<string, FanoutEndpoint>;
  readonly tables: FanoutTables;
  readonly dashboard: FanoutDashboard;
  readonly payloads: PayloadBucket;
  readonly shards: EndpointShards;
}

/** Outputs of the root stack besides those of the endpoints it holds (see addStackOutputs). */
export const coreOutputCount = (resolved: ResolvedTopology): number =>
  resolved.topics.length + resolved.tables.length + 4 + 1;

/** Outputs one endpoint adds to its stack. */
export const endpointOutputCount = (endpoint: ResolvedEndpoint): number =>
  endpoint.maxReceiveCount === undefined ? 3 : 4;

/**
 * Adds one CloudFormation output per OUTPUT_KEYS entry; the keys are the stable client contract.
 * An endpoint's outputs are in the stack that holds it, so no output crosses a stack boundary;
 * the root lists the nested endpoint stacks (`EndpointStacks`) so readers can merge their outputs.
 */
export function addStackOutputs(root: Construct, sources: OutputSources): void {
  const output = (scope: Construct, key: string, value: string, description: string) =>
    new CfnOutput(scope, key, { key, value, description });
  for (const [name, topic] of sources.topics) {
    output(root, OUTPUT_KEYS.topicArn(name), topic.topic.topicArn, `ARN of topic ${name}`);
  }
  for (const [name, endpoint] of sources.endpoints) {
    const scope = Stack.of(endpoint);
    const { queue, deadLetterQueue } = endpoint.queues;
    output(scope, OUTPUT_KEYS.queueUrl(name), queue.queueUrl, `URL of the queue of ${name}`);
    output(scope, OUTPUT_KEYS.queueArn(name), queue.queueArn, `ARN of the queue of ${name}`);
    if (deadLetterQueue)
      output(scope, OUTPUT_KEYS.deadLetterQueueUrl(name), deadLetterQueue.queueUrl, `URL of the DLQ of ${name}`);
    output(
      scope,
      OUTPUT_KEYS.functionName(name),
      endpoint.consumer.function.functionName,
      `Consumer function of ${name}`,
    );
  }
  for (const [name, table] of sources.tables.byName) {
    output(root, OUTPUT_KEYS.tableName(name), table.tableName, `Table ${name}`);
  }
  output(
    root,
    OUTPUT_KEYS.idempotencyTableName,
    sources.tables.idempotency.tableName,
    'Idempotency records of exactly-once consumers',
  );
  output(root, OUTPUT_KEYS.dashboardName, sources.dashboard.dashboard.dashboardName, 'CloudWatch dashboard');
  output(root, OUTPUT_KEYS.payloadBucketName, sources.payloads.bucket.bucketName, 'Claim-check payloads');
  const placement = Object.fromEntries(
    [...sources.endpoints].map(([name, e]) => [name, sources.shards.indexOf(Stack.of(e))]),
  );
  output(
    root,
    OUTPUT_KEYS.manifest,
    JSON.stringify(buildManifest(sources.resolved, placement)),
    'The deployed topology (JSON)',
  );
  const nested = sources.shards.nested();
  if (nested.length > 0) {
    output(
      root,
      OUTPUT_KEYS.endpointStacks,
      Fn.join(
        ',',
        nested.map((s) => s.stackId),
      ),
      'Nested stacks holding endpoints (their outputs complete these)',
    );
  }
  for (const stack of nested) {
    output(
      stack,
      OUTPUT_KEYS.endpointStackDashboardName(stack.shard),
      stack.dashboard.dashboard.dashboardName,
      `CloudWatch dashboard of endpoint stack ${stack.shard}`,
    );
  }
}
