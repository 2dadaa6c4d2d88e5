/**
 * CloudFormation output keys the stack exports and clients (publisher, CLI, local cloud) read.
 * Stable: renaming one breaks every deployed client, so add new keys instead.
 */
const pascal = (name: string) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');

export const OUTPUT_KEYS = {
  topicArn: (topic: string) => `Topic${pascal(topic)}Arn`,
  queueUrl: (endpoint: string) => `Queue${pascal(endpoint)}Url`,
  queueArn: (endpoint: string) => `Queue${pascal(endpoint)}Arn`,
  deadLetterQueueUrl: (endpoint: string) => `Queue${pascal(endpoint)}DlqUrl`,
  /** The SNS subscription's DLQ (messages SNS could not deliver to the queue); subscriptions only. */
  subscriptionDeadLetterQueueUrl: (endpoint: string) => `Queue${pascal(endpoint)}SubDlqUrl`,
  functionName: (endpoint: string) => `Consumer${pascal(endpoint)}FunctionName`,
  tableName: (table: string) => `Table${pascal(table)}Name`,
  idempotencyTableName: 'IdempotencyTableName',
  dashboardName: 'DashboardName',
  /** S3 bucket holding claim-check payloads too large for a message. */
  payloadBucketName: 'PayloadBucketName',
  /** JSON of the resolved topology (names, kinds, delivery) so clients need no source checkout. */
  manifest: 'FanoutManifest',
  /**
   * On the root stack, when endpoints live in nested endpoint stacks too: their stack ids (ARNs),
   * comma-separated. Readers merge those stacks' outputs with the root's (keys are unique across them).
   */
  endpointStacks: 'EndpointStacks',
  /** Dashboard of nested endpoint stack `shard` (1, 2, …); the root's is `dashboardName`. */
  endpointStackDashboardName: (shard: number) => `DashboardEndpoints${shard}Name`,
} as const;

/** The stack ids listed in an `EndpointStacks` output value. */
export const endpointStackIds = (value: string | undefined): string[] =>
  value ? value.split(',').filter(Boolean) : [];

/** The stack name inside a CloudFormation stack id (`arn:…:stack/<name>/<uuid>`), or the value itself when it is a name. */
export const stackNameOfId = (id: string): string =>
  id.startsWith('arn:') ? (id.split(':')[5]?.split('/')[1] ?? id) : id;
