import { CfnOutput, Fn, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ResolvedEndpoint, ResolvedTopology } from '../topology/index.ts';
import { buildManifest, OUTPUT_KEYS } from '../contracts/index.ts';
import type { EndpointShards } from './endpoint-shards.ts';
import type { FanoutEndpoint } from './fanout-endpoint.ts';
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

/** One output: its key (OUTPUT_KEYS), what it says, and where its value comes from. */
interface OutputSpec<From> {
  readonly key: string;
  readonly description: string;
  readonly value: (from: From) => string;
}

/** The outputs of one endpoint, in the stack that holds it. */
function endpointOutputs(endpoint: ResolvedEndpoint): OutputSpec<FanoutEndpoint>[] {
  const name = endpoint.name;
  return [
    {
      key: OUTPUT_KEYS.queueUrl(name),
      description: `URL of the queue of ${name}`,
      value: (e) => e.queues.queue.queueUrl,
    },
    {
      key: OUTPUT_KEYS.queueArn(name),
      description: `ARN of the queue of ${name}`,
      value: (e) => e.queues.queue.queueArn,
    },
    ...(endpoint.hasDeadLetterQueue
      ? [
          {
            key: OUTPUT_KEYS.deadLetterQueueUrl(name),
            description: `URL of the DLQ of ${name}`,
            value: (e: FanoutEndpoint) => e.queues.deadLetterQueue!.queueUrl,
          },
        ]
      : []),
    ...(endpoint.topic === undefined
      ? []
      : [
          {
            key: OUTPUT_KEYS.subscriptionDeadLetterQueueUrl(name),
            description: `URL of the subscription DLQ of ${name} (messages SNS could not deliver)`,
            value: (e: FanoutEndpoint) => e.subscription!.deadLetterQueue.queueUrl,
          },
        ]),
    {
      key: OUTPUT_KEYS.functionName(name),
      description: `Consumer function of ${name}`,
      value: (e) => e.consumer.function.functionName,
    },
  ];
}

/** The root stack's own outputs (the endpoints' and the nested stacks' aside). */
function coreOutputs(resolved: ResolvedTopology): OutputSpec<OutputSources>[] {
  return [
    ...resolved.topics.map((t) => ({
      key: OUTPUT_KEYS.topicArn(t.name),
      description: `ARN of topic ${t.name}`,
      value: (s: OutputSources) => s.topics.get(t.name)!.topic.topicArn,
    })),
    ...resolved.tables.map((t) => ({
      key: OUTPUT_KEYS.tableName(t.name),
      description: `Table ${t.name}`,
      value: (s: OutputSources) => s.tables.byName.get(t.name)!.tableName,
    })),
    {
      key: OUTPUT_KEYS.idempotencyTableName,
      description: 'Idempotency records of exactly-once consumers',
      value: (s) => s.tables.idempotency.tableName,
    },
    {
      key: OUTPUT_KEYS.dashboardName,
      description: 'CloudWatch dashboard',
      value: (s) => s.dashboard.dashboard.dashboardName,
    },
    {
      key: OUTPUT_KEYS.payloadBucketName,
      description: 'Claim-check payloads',
      value: (s) => s.payloads.bucket.bucketName,
    },
    {
      key: OUTPUT_KEYS.manifest,
      description: 'The deployed topology (JSON)',
      value: (s) => {
        const placement = Object.fromEntries(
          [...s.endpoints].map(([name, e]) => [name, s.shards.indexOf(Stack.of(e))]),
        );
        return JSON.stringify(buildManifest(s.resolved, placement));
      },
    },
  ];
}

/** Outputs of the root stack besides those of the endpoints it holds: its own, and room for `EndpointStacks`. */
export const coreOutputCount = (resolved: ResolvedTopology): number => coreOutputs(resolved).length + 1;

/** Outputs one endpoint adds to its stack. */
export const endpointOutputCount = (endpoint: ResolvedEndpoint): number => endpointOutputs(endpoint).length;

/**
 * Adds one CloudFormation output per OUTPUT_KEYS entry; the keys are the stable client contract.
 * An endpoint's outputs are in the stack that holds it, so no output crosses a stack boundary;
 * the root lists the nested endpoint stacks (`EndpointStacks`) so readers can merge their outputs.
 * The lists above are what is added and what placement counts, so the two cannot drift.
 */
export function addStackOutputs(root: Construct, sources: OutputSources): void {
  const output = (scope: Construct, key: string, value: string, description: string) =>
    new CfnOutput(scope, key, { key, value, description });
  for (const spec of coreOutputs(sources.resolved)) output(root, spec.key, spec.value(sources), spec.description);
  for (const endpoint of sources.resolved.endpoints) {
    const built = sources.endpoints.get(endpoint.name);
    if (!built) continue;
    for (const spec of endpointOutputs(endpoint))
      output(Stack.of(built), spec.key, spec.value(built), spec.description);
  }
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
