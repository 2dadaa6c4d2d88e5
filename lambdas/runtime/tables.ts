import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableEnvName } from '../../topology/consumer-env.ts';

/** One client per container, created on first use. */
let client: DynamoDBClient | undefined;
export function dynamo(): DynamoDBClient {
  client ??= new DynamoDBClient({});
  return client;
}

/** Physical name of a topology table, from the `FANOUT_TABLE_<NAME>` variable the stack sets. */
export function tableName(name: string): string {
  const variable = tableEnvName(name);
  const value = process.env[variable];
  if (!value) {
    throw new Error(`${variable} is not set: add '${name}' to this consumer's tables in the topology`);
  }
  return value;
}
