import { randomBytes } from 'node:crypto';
import { Server } from 'node:net';
import { DeleteTableCommand, DynamoDBClient, paginateListTables } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { VisibilityChanges } from './esm/visibility-changes.ts';
import { loopbackRequestHandler } from './loopback-agent.ts';
import type { LogsApi } from './logs/logs-api.ts';
import { startMoveTaskFront } from './sqs-move-tasks/front.ts';

export interface EmulatorPorts {
  /** Messaging port (SNS, SQS and S3 on one endpoint, fauxqs behind the move-task front); 0 picks a free port. @default 0 */
  readonly messaging?: number;
  /** DynamoDB Local port; 0 picks a free port. Ignored with a running DynamoDB Local. @default 0 */
  readonly dynamodb?: number;
}

/**
 * Address the emulators' public ports listen on: loopback keeps them on this machine; '0.0.0.0'
 * opens them to the network (they check no credentials). Clients here use 127.0.0.1 either way.
 */
export type ListenHost = '127.0.0.1' | '0.0.0.0';

/** A DynamoDB Local that is already running (started without `-sharedDb`), shared by several clouds. */
export interface RunningDynamoDb {
  readonly endpoint: string;
}

export interface Endpoints {
  /** SNS, SQS and S3 (fauxqs, behind the front that adds the SQS message move task actions) and CloudWatch Logs. */
  readonly messaging: string;
  readonly dynamodb: string;
}

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface AwsClients {
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
}

export interface Emulators {
  readonly endpoints: Endpoints;
  /** What every client of these emulators signs with (the functions' workers too). */
  readonly credentials: Credentials;
  readonly fauxqs: FauxqsServer;
  readonly clients: AwsClients;
  /**
   * SQS straight to fauxqs, past the move-task front (one HTTP hop less, ~0.13 ms per call): for
   * the local cloud's own hot path, the event source pollers. Queue URLs are the public ones.
   */
  readonly sqsDirect: SQSClient;
  /** Visibility changes clients made through the messaging endpoint (for the pollers). */
  readonly visibilityChanges: VisibilityChanges;
  stop(): Promise<void>;
}

/** Dummy credentials: fauxqs accepts any, and so does a DynamoDB Local with one shared database. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * Credentials of a namespace of its own in a shared DynamoDB Local, which keeps one database per
 * access key id (letters and digits only) and region.
 */
export function namespaceCredentials(): Credentials {
  return { accessKeyId: `fanout${randomBytes(10).toString('hex')}`, secretAccessKey: 'local' };
}

export function createClients(
  endpoints: Endpoints,
  region: string,
  credentials: Credentials = LOCAL_CREDENTIALS,
): AwsClients {
  const common = { region, credentials, requestHandler: loopbackRequestHandler() };
  return {
    sqs: new SQSClient({ ...common, endpoint: endpoints.messaging }),
    sns: new SNSClient({ ...common, endpoint: endpoints.messaging }),
    s3: new S3Client({ ...common, endpoint: endpoints.messaging, forcePathStyle: true }),
    dynamodb: new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb }),
  };
}

/**
 * fauxqs on a free loopback port. fauxqs 2.4 listens on 0.0.0.0 whatever its options say, so its
 * server's listen is pointed at 127.0.0.1 while it starts (only the front is ever public).
 */
async function startFauxqsOnLoopback(region: string): Promise<FauxqsServer> {
  const listen = Server.prototype.listen;
  Server.prototype.listen = function (this: Server, ...args: unknown[]) {
    const [options] = args;
    if (typeof options === 'object' && options !== null && (options as { host?: unknown }).host === '0.0.0.0')
      args[0] = { ...options, host: '127.0.0.1' };
    return (listen as (...a: unknown[]) => Server).apply(this, args);
  } as typeof listen;
  try {
    return await startFauxqs({ port: 0, logger: false, defaultRegion: region });
  } finally {
    Server.prototype.listen = listen;
  }
}

async function startMessaging(
  port: number,
  host: ListenHost,
  region: string,
  visibilityChanges: VisibilityChanges,
  logs: LogsApi | undefined,
) {
  const fauxqs = await startFauxqsOnLoopback(region);
  const front = await startMoveTaskFront({
    port,
    host,
    upstreamPort: fauxqs.port,
    region,
    credentials: LOCAL_CREDENTIALS,
    visibilityChanges,
    ...(logs ? { logs } : {}),
  }).catch(async (error: unknown) => {
    await fauxqs.stop();
    throw error;
  });
  return { fauxqs, front, stop: () => front.stop().then(() => fauxqs.stop()) };
}

/** Deletes every table of a namespace in a shared DynamoDB Local, so the JVM does not keep them. */
async function releaseNamespace(endpoint: string, region: string, credentials: Credentials): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region, credentials });
  try {
    for await (const page of paginateListTables({ client }, {}))
      await Promise.all((page.TableNames ?? []).map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
  } finally {
    client.destroy();
  }
}

/**
 * DynamoDB: the running one in a namespace of its own (its tables deleted on stop), or a DynamoDB
 * Local of our own (one shared database, so any client and credentials see the tables, like on AWS).
 */
async function startDatabase(port: number, host: ListenHost, region: string, running: RunningDynamoDb | undefined) {
  if (running) {
    const credentials = namespaceCredentials();
    return {
      endpoint: running.endpoint,
      credentials,
      stop: () => releaseNamespace(running.endpoint, region, credentials),
    };
  }
  const dynamodb = await startDynamoDbLocal({ port, host, sharedDb: true });
  return { endpoint: dynamodb.endpoint, credentials: LOCAL_CREDENTIALS as Credentials, stop: () => dynamodb.stop() };
}

/** Starts fauxqs in this process and DynamoDB Local beside it (unless one runs), at once; state in memory. */
export async function startEmulators(
  ports: EmulatorPorts,
  region: string,
  dynamodb?: RunningDynamoDb,
  host: ListenHost = '127.0.0.1',
  logs?: LogsApi,
): Promise<Emulators> {
  const visibilityChanges = new VisibilityChanges();
  const started = await Promise.allSettled([
    startMessaging(ports.messaging ?? 0, host, region, visibilityChanges, logs),
    startDatabase(ports.dynamodb ?? 0, host, region, dynamodb),
  ] as const);
  const [messaging, database] = started;
  if (messaging.status === 'rejected' || database.status === 'rejected') {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
    throw messaging.status === 'rejected' ? messaging.reason : (database as PromiseRejectedResult).reason;
  }
  const { fauxqs, front } = messaging.value;
  const { credentials } = database.value;
  const endpoints: Endpoints = { messaging: `http://127.0.0.1:${front.port}`, dynamodb: database.value.endpoint };
  const clients = createClients(endpoints, region, credentials);
  // Every ESM poller lane holds a long poll open on this client: one socket each, however many (the SDK's default pool of 50 would queue them).
  // Unsigned: fauxqs checks no signature, and SigV4 (hashing every payload) was the pollers' largest CPU cost.
  const sqsDirect = new SQSClient({
    region,
    credentials,
    endpoint: `http://127.0.0.1:${fauxqs.port}`,
    requestHandler: loopbackRequestHandler(),
    signer: { sign: async (request) => request },
  });
  return {
    endpoints,
    credentials,
    fauxqs,
    clients,
    sqsDirect,
    visibilityChanges,
    async stop() {
      for (const client of [...Object.values(clients), sqsDirect]) client.destroy();
      await Promise.all([messaging.value.stop(), database.value.stop()]);
    },
  };
}
