import { Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { KMS_ENCRYPT_DECRYPT } from './encryption.ts';

/*
 * Grants with every action spelled out. CDK's own `grantSendMessages` and `grantReadWriteData`
 * add `kms:GenerateDataKey*` / `kms:ReEncrypt*`; our policies allow no wildcard actions.
 */

/** Actions to send a message to a queue (a consumer moving a permanent failure to its DLQ). */
export const SQS_SEND_ACTIONS = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'] as const;

/** Item-level read/write on a table, what handlers and the idempotency store use. */
export const DYNAMODB_READ_WRITE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:DescribeTable',
] as const;

/** KMS actions DynamoDB performs with the caller's credentials on a CMK-encrypted table. */
export const DYNAMODB_KMS_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'] as const;

function grantKey(grantee: iam.IGrantable, key: kms.IKey | undefined, actions: readonly string[]): void {
  if (key) iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [key.keyArn] });
}

/**
 * Allows answering requests: `sqs:SendMessage` on the queues named `<replyQueuePrefix>*` in this
 * stack's account and region (reply queues are created by requesters at run time and use SSE-SQS).
 */
export function grantSendReplies(role: iam.Role, replyQueuePrefix: string): iam.Grant {
  return iam.Grant.addToPrincipal({
    grantee: role,
    actions: ['sqs:SendMessage'],
    resourceArns: [Stack.of(role).formatArn({ service: 'sqs', resource: `${replyQueuePrefix}*` })],
  });
}

/** Allows `sqs:SendMessage` (+ attributes, URL) on a queue and encrypting with its key. */
export function grantSendMessages(grantee: iam.IGrantable, queue: sqs.IQueue): iam.Grant {
  grantKey(grantee, queue.encryptionMasterKey, KMS_ENCRYPT_DECRYPT);
  return iam.Grant.addToPrincipal({ grantee, actions: [...SQS_SEND_ACTIONS], resourceArns: [queue.queueArn] });
}

/**
 * Allows item reads and writes on a table (not scans, not table management) and its key, and
 * `ConditionCheckItem` where the handler condition-checks items in a staged transaction.
 * (TransactWriteItems has no action of its own: each item needs the action of its operation.)
 */
export function grantReadWriteItems(
  grantee: iam.IGrantable,
  table: dynamodb.ITable,
  conditionChecks = false,
): iam.Grant {
  grantKey(grantee, table.encryptionKey, DYNAMODB_KMS_ACTIONS);
  return iam.Grant.addToPrincipal({
    grantee,
    actions: [...DYNAMODB_READ_WRITE_ACTIONS, ...(conditionChecks ? ['dynamodb:ConditionCheckItem'] : [])],
    resourceArns: [table.tableArn],
  });
}

/** What the idempotency store does with its records (no queries, scans or batch writes). */
const IDEMPOTENCY_RECORD_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;

/**
 * Allows a consumer to read and write only its own idempotency records: items whose partition key
 * starts with `keyPrefix` (`dynamodb:LeadingKeys`), so one consumer can neither forge nor erase
 * another's "already processed".
 */
export function grantOwnIdempotencyRecords(
  grantee: iam.IGrantable,
  table: dynamodb.ITable,
  keyPrefix: string,
): iam.Grant {
  grantKey(grantee, table.encryptionKey, DYNAMODB_KMS_ACTIONS);
  return iam.Grant.addToPrincipal({
    grantee,
    actions: [...IDEMPOTENCY_RECORD_ACTIONS],
    resourceArns: [table.tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${keyPrefix}*`] } },
  });
}
