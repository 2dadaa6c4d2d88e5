import {
  JobRequested,
  OrderCancelled,
  OrderPlaced,
  OrderShipped,
  PaymentCaptured,
  PaymentRefunded,
} from './events/index.ts';
import type { Topology } from 'fanout';

/**
 * The reference topology: an e-commerce order fan-out, a FIFO payments ledger, a work queue
 * and the alarm topic. `bin/app.ts` deploys it; change it here to change the stack.
 */
export const referenceTopology = {
  name: 'fanout',
  events: {
    OrderPlaced: { schema: OrderPlaced },
    OrderCancelled: { schema: OrderCancelled },
    OrderShipped: { schema: OrderShipped },
    PaymentCaptured: { schema: PaymentCaptured, groupBy: 'accountId' },
    PaymentRefunded: { schema: PaymentRefunded, groupBy: 'accountId' },
    JobRequested: { schema: JobRequested, tenantBy: 'tenantId' },
  },
  tables: [
    { name: 'reservations', partitionKey: 'orderId', sortKey: 'sku' },
    { name: 'sent-emails', partitionKey: 'emailId' },
    { name: 'picks', partitionKey: 'orderId' },
    { name: 'event-counts', partitionKey: 'eventType' },
    { name: 'ledger', partitionKey: 'accountId' },
    { name: 'audit-log', partitionKey: 'accountId', sortKey: 'entryId' },
    { name: 'job-results', partitionKey: 'jobId' },
  ],
  topics: [
    {
      name: 'orders',
      events: ['OrderPlaced', 'OrderCancelled', 'OrderShipped'],
      producerKeyAttribute: 'idempotencyKey',
      subscriptions: [
        {
          name: 'inventory',
          events: ['OrderPlaced', 'OrderCancelled'],
          delivery: 'exactly-once',
          consumer: { handler: 'inventory', tables: ['reservations'] },
        },
        {
          name: 'email',
          events: ['OrderPlaced', 'OrderShipped'],
          delivery: 'exactly-once',
          consumer: { handler: 'email', tables: ['sent-emails'] },
        },
        {
          name: 'warehouse',
          events: ['OrderPlaced'],
          delivery: 'at-least-once',
          maxReceiveCount: 3,
          consumer: { handler: 'warehouse', tables: ['picks'] },
        },
        {
          name: 'analytics',
          delivery: 'at-most-once',
          rawDelivery: true,
          maxDepth: 1000,
          consumer: {
            handler: 'analytics',
            batchSize: 100,
            batchingWindowSeconds: 2,
            tables: ['event-counts'],
            // Only order events reach the function; anything else is deleted by the event source.
            filters: [{ messageAttributes: { eventType: { stringValue: [{ prefix: 'Order' }] } } }],
          },
          alarms: { maxDepth: 5000, maxAgeSeconds: false },
        },
      ],
    },
    {
      name: 'payments',
      fifo: true,
      contentBasedDeduplication: true,
      archiveRetentionDays: 30,
      highThroughput: true,
      events: ['PaymentCaptured', 'PaymentRefunded'],
      producerKeyAttribute: 'idempotencyKey',
      subscriptions: [
        {
          name: 'ledger',
          delivery: 'exactly-once',
          idempotencyKey: [{ field: 'paymentId' }],
          // A payment has one capture but may have several refunds: each refund is keyed by its own id.
          idempotencyKeyByEvent: { PaymentRefunded: [{ field: 'refundId' }] },
          consumer: { handler: 'ledger', tables: ['ledger'] },
          alarms: { maxTimeToDrainSeconds: 600 },
        },
        {
          name: 'audit',
          delivery: 'at-least-once',
          consumer: { handler: 'audit', tables: ['audit-log'] },
        },
      ],
    },
    { name: 'ops-alarms', events: [], subscriptions: [] },
  ],
  workQueues: [
    {
      name: 'jobs',
      events: ['JobRequested'],
      producerKeyAttribute: 'idempotencyKey',
      delivery: 'exactly-once',
      idempotencyKey: [{ field: 'jobId' }],
      requestReply: true,
      consumer: { handler: 'jobs', maxConcurrency: 5, timeoutSeconds: 60, tables: ['job-results'] },
      alarms: { maxTimeToDrainSeconds: 900 },
    },
  ],
  alarmTopic: 'ops-alarms',
} as const satisfies Topology;
