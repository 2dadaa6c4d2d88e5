import { expect, it } from 'vitest';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

/** Deployed clients read these names: the one place tests spell them out, so a rename fails here. */
it('keeps the output key names deployed clients read', () => {
  expect([
    OUTPUT_KEYS.topicArn('orders'),
    OUTPUT_KEYS.queueUrl('audit-jobs'),
    OUTPUT_KEYS.queueArn('jobs'),
    OUTPUT_KEYS.deadLetterQueueUrl('jobs'),
    OUTPUT_KEYS.functionName('ledger'),
    OUTPUT_KEYS.tableName('audit-log'),
    OUTPUT_KEYS.idempotencyTableName,
    OUTPUT_KEYS.dashboardName,
    OUTPUT_KEYS.payloadBucketName,
    OUTPUT_KEYS.manifest,
    OUTPUT_KEYS.endpointStacks,
    OUTPUT_KEYS.endpointStackDashboardName(2),
  ]).toEqual([
    'TopicOrdersArn',
    'QueueAuditJobsUrl',
    'QueueJobsArn',
    'QueueJobsDlqUrl',
    'ConsumerLedgerFunctionName',
    'TableAuditLogName',
    'IdempotencyTableName',
    'DashboardName',
    'PayloadBucketName',
    'FanoutManifest',
    'EndpointStacks',
    'DashboardEndpoints2Name',
  ]);
});
