import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';

// One client per service per container, created on first use with the default configuration:
// region, credentials and endpoints (AWS_ENDPOINT_URL_*) come from the standard environment.
// SQS and S3 are only needed off the happy path (DLQ, deferral, shedding, claim-checks), so their
// modules are imported on first use and cost nothing at cold start.
let dynamoClient: DynamoDBClient | undefined;
let sqsClient: Promise<SQSClient> | undefined;
let sqsModule: Promise<typeof import('@aws-sdk/client-sqs')> | undefined;
let s3Module: Promise<typeof import('@aws-sdk/client-s3')> | undefined;
let s3Client: Promise<S3Client> | undefined;

export function dynamo(): DynamoDBClient {
  dynamoClient ??= new DynamoDBClient({});
  return dynamoClient;
}

export function loadSqs(): Promise<typeof import('@aws-sdk/client-sqs')> {
  sqsModule ??= import('@aws-sdk/client-sqs');
  return sqsModule;
}

export function loadS3(): Promise<typeof import('@aws-sdk/client-s3')> {
  s3Module ??= import('@aws-sdk/client-s3');
  return s3Module;
}

export function sqs(): Promise<SQSClient> {
  // Calls go to the configured SQS endpoint, never to the host a queue URL names (a reply's URL
  // comes from a message).
  sqsClient ??= loadSqs().then(({ SQSClient }) => new SQSClient({ useQueueUrlAsEndpoint: false }));
  return sqsClient;
}

export function s3(): Promise<S3Client> {
  s3Client ??= loadS3().then(({ S3Client }) => new S3Client({}));
  return s3Client;
}
