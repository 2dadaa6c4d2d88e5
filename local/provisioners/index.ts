import { cloudwatchAlarm } from './cloudwatch-alarm.ts';
import { dynamodbGlobalTable, dynamodbTable } from './dynamodb-table.ts';
import { lambdaEventSourceMapping } from './lambda-event-source-mapping.ts';
import { lambdaFunction } from './lambda-function.ts';
import { notEnforcedProvisioners } from './not-enforced.ts';
import { s3Bucket } from './s3-bucket.ts';
import { snsSubscription } from './sns-subscription.ts';
import { snsTopic } from './sns-topic.ts';
import { sqsQueue } from './sqs-queue.ts';
import type { Provisioner } from './types.ts';

/** Every resource type the local cloud accepts, one provisioner each. */
export const PROVISIONERS: ReadonlyMap<string, Provisioner> = new Map(
  [
    snsTopic,
    snsSubscription,
    sqsQueue,
    dynamodbTable,
    dynamodbGlobalTable,
    lambdaFunction,
    lambdaEventSourceMapping,
    cloudwatchAlarm,
    s3Bucket,
    ...notEnforcedProvisioners,
  ].map((p) => [p.type, p]),
);
