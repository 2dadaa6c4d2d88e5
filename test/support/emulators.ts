import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ScanCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { startFauxqs } from 'fauxqs';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { namespaceCredentials } from '../../local/emulators.ts';
import { decodeDeadLetterReason, type DeadLetterReason } from '../../contracts/dead-letter.ts';
import { sharedDynamoDb } from './shared-dynamodb.ts';

export const REGION = 'us-east-1';

let accessKeyId: string | undefined;

/**
 * Dummy credentials in the environment, for the clients the code under test creates itself
 * (default chain). The access key id is this process's current DynamoDB Local namespace (the
 * latest `startDynamo()`'s). Set before any default client is created.
 */
export function useLocalCredentials(): void {
  accessKeyId ??= namespaceCredentials().accessKeyId;
  process.env.AWS_REGION = REGION;
  process.env.AWS_ACCESS_KEY_ID = accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
}

export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

/**
 * An empty DynamoDB: a fresh namespace (access key id) in the test run's DynamoDB Local, also put
 * in the environment for default clients created from now on. Outside vitest (scripts), a
 * DynamoDB Local of its own that `close()` stops; in a run, `close()` only destroys the client.
 */
export async function startDynamo(): Promise<LocalDynamo> {
  const own = sharedDynamoDb() ? undefined : await startDynamoDbLocal();
  const endpoint = sharedDynamoDb()?.endpoint ?? own!.endpoint;
  const credentials = namespaceCredentials();
  accessKeyId = credentials.accessKeyId;
  useLocalCredentials();
  const client = new DynamoDBClient({ endpoint, region: REGION, credentials });
  return {
    endpoint,
    client,
    close: async () => {
      client.destroy();
      await own?.stop();
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

/**
 * `record` sent to `queueUrl` and received from it: it carries a real receipt handle (and the id SQS
 * gave it), so the visibility changes and deletes the runtime makes act on a real message.
 */
export async function receivedRecord(client: SQSClient, queueUrl: string, record: SQSRecord): Promise<SQSRecord> {
  await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: record.body }));
  const { Messages = [] } = await client.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1 }),
  );
  return { ...record, messageId: Messages[0]!.MessageId!, receiptHandle: Messages[0]!.ReceiptHandle! };
}

/** The dead-letter reason a consumer attached to a DLQ message (the `fanoutDeadLetter` attribute). */
export function deadLetterReasonOf(message: Message): DeadLetterReason | undefined {
  const attributes = Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, a]) => [name, a.StringValue]),
  );
  return decodeDeadLetterReason(attributes);
}
