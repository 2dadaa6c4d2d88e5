import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

// One client per service per container, created on first use with the default configuration:
// region, credentials and endpoints (AWS_ENDPOINT_URL_*) come from the standard environment.
let dynamoClient: DynamoDBClient | undefined;
let sqsClient: SQSClient | undefined;
let s3Client: S3Client | undefined;

export function dynamo(): DynamoDBClient {
  dynamoClient ??= new DynamoDBClient({});
  return dynamoClient;
}

export function sqs(): SQSClient {
  sqsClient ??= new SQSClient({});
  return sqsClient;
}

export function s3(): S3Client {
  s3Client ??= new S3Client({});
  return s3Client;
}
