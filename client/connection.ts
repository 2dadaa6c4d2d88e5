import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { recordFailedCalls } from './aws-call.ts';

/** Where the AWS APIs are: real AWS (no endpoints) or a local cloud (endpoint per service). */
export interface Connection {
  /**
   * AWS region.
   * @default - the SDK's default chain (AWS_REGION, profile)
   */
  readonly region?: string;
  /**
   * Endpoint URL per service; a missing one means the service's real AWS endpoint.
   * @default {} - real AWS (or the standard AWS_ENDPOINT_URL_* variables)
   */
  readonly endpoints?: {
    readonly sqs?: string;
    readonly sns?: string;
    readonly s3?: string;
    readonly cloudwatch?: string;
    readonly logs?: string;
    readonly cloudformation?: string;
  };
  /**
   * Static credentials (local clouds accept anything).
   * @default - the SDK's default credential chain
   */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface AwsClients {
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  readonly s3: S3Client;
  readonly cloudwatch: CloudWatchClient;
  readonly logs: CloudWatchLogsClient;
  readonly cloudformation: CloudFormationClient;
  /** Whether `connection` named a CloudWatch endpoint or points at real AWS. */
  readonly hasCloudWatch: boolean;
  destroy(): void;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** A connection to a local cloud serving SNS, SQS and S3 on one endpoint (e.g. fauxqs). */
export function localConnection(endpoint: string, region = 'us-east-1', cloudwatch?: string): Connection {
  return {
    region,
    endpoints: { sqs: endpoint, sns: endpoint, s3: endpoint, ...(cloudwatch ? { cloudwatch } : {}) },
    credentials: LOCAL_CREDENTIALS,
  };
}

function isLocal(connection: Connection): boolean {
  return Object.values(connection.endpoints ?? {}).some(Boolean);
}

export interface ClientOptions {
  /**
   * Attempts the SDK makes per SNS and SQS call. The publisher's own clients make one: its
   * `maxAttempts` then counts every request a message costs, instead of multiplying the SDK's.
   * @default - the SDK's standard retry strategy (3 attempts)
   */
  readonly snsSqsMaxAttempts?: number;
}

/** SDK clients for a connection, created once and shared by the publisher and the CLI. */
export function createClients(connection: Connection, options: ClientOptions = {}): AwsClients {
  const attempts = options.snsSqsMaxAttempts === undefined ? {} : { maxAttempts: options.snsSqsMaxAttempts };
  const base = (endpoint: string | undefined) => ({
    ...(connection.region ? { region: connection.region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(connection.credentials ? { credentials: connection.credentials } : {}),
  });
  const e = connection.endpoints ?? {};
  const clients = {
    sns: new SNSClient({ ...base(e.sns), ...attempts }),
    // Calls go to the configured endpoint (Connection or AWS_ENDPOINT_URL_SQS), never to the host a queue URL names.
    sqs: new SQSClient({ ...base(e.sqs), ...attempts, useQueueUrlAsEndpoint: false }),
    s3: new S3Client({ ...base(e.s3), forcePathStyle: e.s3 !== undefined }),
    cloudwatch: new CloudWatchClient(base(e.cloudwatch)),
    logs: new CloudWatchLogsClient(base(e.logs)),
    cloudformation: new CloudFormationClient(base(e.cloudformation)),
  };
  for (const client of Object.values(clients)) recordFailedCalls(client);
  return {
    ...clients,
    hasCloudWatch: e.cloudwatch !== undefined || !isLocal(connection),
    destroy: () => {
      for (const c of Object.values(clients)) c.destroy();
    },
  };
}
