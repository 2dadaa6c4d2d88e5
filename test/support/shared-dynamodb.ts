import type { RunningDynamoDb } from '../../local/emulators.ts';

/** Set by the vitest global setup (`dynamodb-global-setup.ts`): the one DynamoDB Local of the run. */
export const SHARED_DYNAMODB_ENV = 'FANOUT_TEST_DYNAMODB_ENDPOINT';

/**
 * The run's DynamoDB Local, for `startLocalCloud({ dynamodb })`: each cloud takes a namespace of its
 * own in it. Undefined outside vitest (scripts): the cloud then starts a DynamoDB Local of its own.
 */
export function sharedDynamoDb(): RunningDynamoDb | undefined {
  const endpoint = process.env[SHARED_DYNAMODB_ENV];
  return endpoint ? { endpoint } : undefined;
}
