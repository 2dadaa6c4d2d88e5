import { CfnOutput } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { OUTPUT_KEYS } from '../topology/outputs.ts';
import type { ResolvedTopology } from '../topology/resolve.ts';
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
}

/** Adds one CloudFormation output per OUTPUT_KEYS entry; the keys are the stable client contract. */
export function addStackOutputs(scope: Construct, sources: OutputSources): void {
  const output = (key: string, value: string, description: string) =>
    new CfnOutput(scope, key, { key, value, description });
  for (const [name, topic] of sources.topics) {
    output(OUTPUT_KEYS.topicArn(name), topic.topic.topicArn, `ARN of topic ${name}`);
  }
  for (const [name, endpoint] of sources.endpoints) {
    const { queue, deadLetterQueue } = endpoint.queues;
    output(OUTPUT_KEYS.queueUrl(name), queue.queueUrl, `URL of the queue of ${name}`);
    output(OUTPUT_KEYS.queueArn(name), queue.queueArn, `ARN of the queue of ${name}`);
    if (deadLetterQueue) output(OUTPUT_KEYS.deadLetterQueueUrl(name), deadLetterQueue.queueUrl, `URL of the DLQ of ${name}`);
    output(OUTPUT_KEYS.functionName(name), endpoint.consumer.function.functionName, `Consumer function of ${name}`);
  }
  for (const [name, table] of sources.tables.byName) {
    output(OUTPUT_KEYS.tableName(name), table.tableName, `Table ${name}`);
  }
  output(OUTPUT_KEYS.idempotencyTableName, sources.tables.idempotency.tableName, 'Idempotency records of exactly-once consumers');
  output(OUTPUT_KEYS.dashboardName, sources.dashboard.dashboard.dashboardName, 'CloudWatch dashboard');
  output(OUTPUT_KEYS.payloadBucketName, sources.payloads.bucket.bucketName, 'Claim-check payloads');
  output(OUTPUT_KEYS.manifest, JSON.stringify(buildManifest(sources.resolved)), 'The deployed topology (JSON)');
}
