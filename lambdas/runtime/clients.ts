import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

// The handlers' DynamoDB client: one per container, created on first use with the default
// configuration (region, credentials and AWS_ENDPOINT_URL_* come from the standard environment).
let dynamoClient: DynamoDBClient | undefined;

export function dynamo(): DynamoDBClient {
  dynamoClient ??= new DynamoDBClient({});
  return dynamoClient;
}

// SQS and S3 are only needed off the happy path (DLQ, deferral, shedding, claim-checks), so their
// modules are imported on first use (and then cached by the module loader): nothing at cold start.
export const loadSqs = () => import('@aws-sdk/client-sqs');
export const loadS3 = () => import('@aws-sdk/client-s3');
