import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, expect, it } from 'vitest';
import { CONSUMER_ENV } from '../../contracts/consumer-env.ts';
import { PREFIX } from './support/expected.ts';
import { synthesize } from './support/synth.ts';
import { findBy, findQueue, ofType, ref } from './support/template-helpers.ts';

let template: Template;
beforeAll(() => {
  template = synthesize('dev').template;
});

const env = (endpoint: string) =>
  findBy(template, 'AWS::Lambda::Function', 'FunctionName', `${PREFIX}-${endpoint}`)[1].Properties.Environment
    .Variables;
const queueUrl = (name: string) => ref(findQueue(template, name)[0]);
const tableRef = (name: string) => ref(findBy(template, 'AWS::DynamoDB::Table', 'TableName', `${PREFIX}-${name}`)[0]);

it('sets the exactly-once subscriber contract (inventory): envelope source, idempotency table and TTL', () => {
  expect(env('inventory')).toEqual({
    [CONSUMER_ENV.name]: 'inventory',
    [CONSUMER_ENV.delivery]: 'exactly-once',
    [CONSUMER_ENV.source]: 'sns',
    [CONSUMER_ENV.fifo]: 'false',
    [CONSUMER_ENV.idempotencyKey]: 'attribute:idempotencyKey,sns-message-id,message-id',
    [CONSUMER_ENV.producerKeyAttribute]: 'idempotencyKey',
    [CONSUMER_ENV.idempotencyTable]: tableRef('idempotency'),
    [CONSUMER_ENV.idempotencyTtlHours]: String(19 * 24),
    [CONSUMER_ENV.queueUrl]: queueUrl(`${PREFIX}-inventory`),
    [CONSUMER_ENV.deadLetterQueueUrl]: queueUrl(`${PREFIX}-inventory-dlq`),
    [CONSUMER_ENV.maxReceiveCount]: '5',
    [CONSUMER_ENV.parallelism]: '10',
    FANOUT_TABLE_RESERVATIONS: tableRef('reservations'),
  });
});

it('sets the at-least-once subscriber contract (warehouse): no idempotency table', () => {
  expect(env('warehouse')).toEqual({
    [CONSUMER_ENV.name]: 'warehouse',
    [CONSUMER_ENV.delivery]: 'at-least-once',
    [CONSUMER_ENV.source]: 'sns',
    [CONSUMER_ENV.fifo]: 'false',
    [CONSUMER_ENV.idempotencyKey]: 'attribute:idempotencyKey,sns-message-id,message-id',
    [CONSUMER_ENV.producerKeyAttribute]: 'idempotencyKey',
    [CONSUMER_ENV.queueUrl]: queueUrl(`${PREFIX}-warehouse`),
    [CONSUMER_ENV.deadLetterQueueUrl]: queueUrl(`${PREFIX}-warehouse-dlq`),
    [CONSUMER_ENV.maxReceiveCount]: '3',
    [CONSUMER_ENV.parallelism]: '10',
    FANOUT_TABLE_PICKS: tableRef('picks'),
  });
});

it('sets the at-most-once raw subscriber contract (analytics): raw source, max depth, no DLQ, key claims', () => {
  expect(env('analytics')).toEqual({
    [CONSUMER_ENV.name]: 'analytics',
    [CONSUMER_ENV.delivery]: 'at-most-once',
    [CONSUMER_ENV.source]: 'sns-raw',
    [CONSUMER_ENV.fifo]: 'false',
    [CONSUMER_ENV.idempotencyKey]: 'attribute:idempotencyKey,message-id',
    [CONSUMER_ENV.producerKeyAttribute]: 'idempotencyKey',
    [CONSUMER_ENV.idempotencyTable]: tableRef('idempotency'),
    [CONSUMER_ENV.idempotencyTtlHours]: String(19 * 24),
    [CONSUMER_ENV.queueUrl]: queueUrl(`${PREFIX}-analytics`),
    [CONSUMER_ENV.maxDepth]: '1000',
    [CONSUMER_ENV.parallelism]: '50',
    FANOUT_TABLE_EVENT_COUNTS: tableRef('event-counts'),
  });
});

it('sets the FIFO exactly-once contract (ledger): fifo true, keyed by paymentId (refunds by refundId), records outliving the 30-day archive plus queue and DLQ retention', () => {
  expect(env('ledger')).toEqual({
    [CONSUMER_ENV.name]: 'ledger',
    [CONSUMER_ENV.delivery]: 'exactly-once',
    [CONSUMER_ENV.source]: 'sns',
    [CONSUMER_ENV.fifo]: 'true',
    [CONSUMER_ENV.idempotencyKey]: 'field:paymentId',
    [CONSUMER_ENV.idempotencyKeyByEvent]: '{"FundsRefunded":"field:refundId"}',
    [CONSUMER_ENV.producerKeyAttribute]: 'idempotencyKey',
    [CONSUMER_ENV.idempotencyTable]: tableRef('idempotency'),
    [CONSUMER_ENV.idempotencyTtlHours]: String(49 * 24),
    [CONSUMER_ENV.queueUrl]: queueUrl(`${PREFIX}-ledger.fifo`),
    [CONSUMER_ENV.deadLetterQueueUrl]: queueUrl(`${PREFIX}-ledger-dlq.fifo`),
    [CONSUMER_ENV.maxReceiveCount]: '5',
    [CONSUMER_ENV.parallelism]: '10',
    FANOUT_TABLE_LEDGER: tableRef('ledger'),
  });
});

it('sets the work-queue contract (jobs): plain SQS source, keyed by jobId, answering requests on the reply queues only', () => {
  expect(env('jobs')).toEqual({
    [CONSUMER_ENV.name]: 'jobs',
    [CONSUMER_ENV.delivery]: 'exactly-once',
    [CONSUMER_ENV.source]: 'sqs',
    [CONSUMER_ENV.fifo]: 'false',
    [CONSUMER_ENV.idempotencyKey]: 'field:jobId',
    [CONSUMER_ENV.producerKeyAttribute]: 'idempotencyKey',
    [CONSUMER_ENV.requestReply]: 'true',
    [CONSUMER_ENV.replyQueuePrefix]: `${PREFIX}-reply-`,
    [CONSUMER_ENV.payloadBucket]: ref(ofType(template, 'AWS::S3::Bucket')[0]![0]),
    [CONSUMER_ENV.idempotencyTable]: tableRef('idempotency'),
    [CONSUMER_ENV.idempotencyTtlHours]: String(19 * 24),
    [CONSUMER_ENV.queueUrl]: queueUrl(`${PREFIX}-jobs`),
    [CONSUMER_ENV.deadLetterQueueUrl]: queueUrl(`${PREFIX}-jobs-dlq`),
    [CONSUMER_ENV.maxReceiveCount]: '5',
    [CONSUMER_ENV.parallelism]: '10',
    FANOUT_TABLE_JOB_RESULTS: tableRef('job-results'),
  });
});
