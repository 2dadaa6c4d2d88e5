/**
 * vitest global setup: ONE DynamoDB Local (a JVM, seconds to start) for the whole run. Test files
 * reach it through SHARED_DYNAMODB_ENV and isolate themselves by access key id (DynamoDB Local
 * keeps a database per access key id + region, as it runs without `-sharedDb`).
 */
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { SHARED_DYNAMODB_ENV } from './shared-dynamodb.ts';

export default async function setup(): Promise<() => Promise<void>> {
  const dynamodb = await startDynamoDbLocal();
  process.env[SHARED_DYNAMODB_ENV] = dynamodb.endpoint;
  return () => dynamodb.stop();
}
