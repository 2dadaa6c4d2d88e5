import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import dynalite from 'dynalite';
import { startFauxqs, type FauxqsServer } from 'fauxqs';

export interface EmulatorPorts {
  /** fauxqs port (SNS, SQS and S3 on one endpoint); 0 picks a free port. @default 0 */
  readonly messaging?: number;
  /** dynalite port; 0 picks a free port. @default 0 */
  readonly dynamodb?: number;
}

export interface Endpoints {
  /** SNS, SQS and S3 (fauxqs). */
  readonly messaging: string;
  readonly dynamodb: string;
}

export interface AwsClients {
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
}

export interface Emulators {
  readonly endpoints: Endpoints;
  readonly fauxqs: FauxqsServer;
  readonly clients: AwsClients;
  stop(): Promise<void>;
}

/** Dummy credentials: the emulators accept any. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export function createClients(endpoints: Endpoints, region: string): AwsClients {
  const common = { region, credentials: LOCAL_CREDENTIALS };
  return {
    sqs: new SQSClient({ ...common, endpoint: endpoints.messaging }),
    sns: new SNSClient({ ...common, endpoint: endpoints.messaging }),
    s3: new S3Client({ ...common, endpoint: endpoints.messaging, forcePathStyle: true }),
    dynamodb: new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb }),
  };
}

/** Starts fauxqs and dynalite in this process, state in memory. */
export async function startEmulators(ports: EmulatorPorts, region: string): Promise<Emulators> {
  const fauxqs = await startFauxqs({ port: ports.messaging ?? 0, logger: false, defaultRegion: region });
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(ports.dynamodb ?? 0, '127.0.0.1', () => resolve());
  });
  const dynamoPort = (dynamo.address() as AddressInfo).port;
  const endpoints: Endpoints = { messaging: `http://127.0.0.1:${fauxqs.port}`, dynamodb: `http://127.0.0.1:${dynamoPort}` };
  const clients = createClients(endpoints, region);
  return {
    endpoints,
    fauxqs,
    clients,
    async stop() {
      for (const client of Object.values(clients)) client.destroy();
      dynamo.closeAllConnections?.();
      await Promise.all([fauxqs.stop(), new Promise<void>((resolve) => dynamo.close(() => resolve()))]);
    },
  };
}
