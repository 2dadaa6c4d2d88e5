import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ScanCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import dynalite from 'dynalite';
import { startFauxqs } from 'fauxqs';
import { decodeDeadLetterReason, type DeadLetterReason } from '../../../topology/dead-letter.ts';

export const REGION = 'us-east-1';

/** Dummy credentials: the emulators accept any. Set before any default client is created. */
export function useLocalCredentials(): void {
  process.env.AWS_REGION = REGION;
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
}

export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

/** dynalite in-process on a free port. */
export async function startDynamo(): Promise<LocalDynamo> {
  useLocalCredentials();
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: REGION });
  return {
    endpoint,
    client,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function createTable(
  client: DynamoDBClient,
  name: string,
  partitionKey: string,
  sortKey?: string,
): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: partitionKey, AttributeType: 'S' },
        ...(sortKey ? [{ AttributeName: sortKey, AttributeType: 'S' as const }] : []),
      ],
      KeySchema: [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' as const }] : []),
      ],
    }),
  );
}

export async function getItem(
  client: DynamoDBClient,
  table: string,
  key: Record<string, AttributeValue>,
): Promise<Record<string, AttributeValue> | undefined> {
  return (await client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
}

export async function scanAll(client: DynamoDBClient, table: string): Promise<Record<string, AttributeValue>[]> {
  return (await client.send(new ScanCommand({ TableName: table }))).Items ?? [];
}

export interface LocalSqs {
  readonly endpoint: string;
  readonly client: SQSClient;
  createQueue(name: string, attributes?: Record<string, string>): string;
  close(): Promise<void>;
}

/** fauxqs in-process on a free port. */
export async function startSqs(): Promise<LocalSqs> {
  useLocalCredentials();
  const server = await startFauxqs({ port: 0, logger: false });
  const client = new SQSClient({ endpoint: server.address, region: REGION });
  return {
    endpoint: server.address,
    client,
    createQueue: (name, attributes) => server.createQueue(name, attributes ? { attributes } : undefined).queueUrl,
    close: async () => {
      client.destroy();
      await server.stop();
    },
  };
}

/** Every message currently visible in a queue (up to 100). */
export async function drain(client: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (let i = 0; i < 10; i++) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        WaitTimeSeconds: 0,
      }),
    );
    if (Messages.length === 0) break;
    all.push(...Messages);
  }
  return all;
}

/** The dead-letter reason a consumer attached to a DLQ message (the `fanoutDeadLetter` attribute). */
export function deadLetterReasonOf(message: Message): DeadLetterReason | undefined {
  const attributes = Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([name, a]) => [name, a.StringValue]));
  return decodeDeadLetterReason(attributes);
}
