import type { MessageAttributeValue as SnsAttribute, PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import type { SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { EVENT_TYPE_ATTRIBUTE, type ResolvedTopology, resolveTopology } from 'fanout';
import { referenceTopology } from '../topology.ts';

/** Demo traffic for the reference topology: orders (with duplicates and poison), payments across accounts, jobs. */
export interface DemoWave {
  readonly orders: PublishBatchRequestEntry[];
  readonly payments: PublishBatchRequestEntry[];
  readonly jobs: SendMessageBatchRequestEntry[];
}

export interface DemoTraffic {
  /** Every unique event, plus the poison orders. */
  readonly first: DemoWave;
  /**
   * Producer retries, published once the first wave is processed (a duplicate arriving while its
   * original is still in progress is deferred by the runtime until the original's lease ends).
   */
  readonly duplicates: DemoWave;
  /** accountId → balance in cents after every unique payment. */
  readonly expectedBalances: Record<string, number>;
  readonly uniqueJobs: number;
  readonly poisonOrders: number;
  readonly duplicateOrders: number;
  readonly duplicatePayments: number;
  readonly duplicateJobs: number;
}

export interface DemoSize {
  /** @default 100 */
  readonly orders?: number;
  /** @default 5 */
  readonly accounts?: number;
  /** @default 20 */
  readonly paymentsPerAccount?: number;
  /** @default 40 */
  readonly jobs?: number;
  /** @default 3 */
  readonly poison?: number;
}

const DUPLICATE_EVERY = 10;
const str = (value: string): SnsAttribute => ({ DataType: 'String', StringValue: value });
let reference: ResolvedTopology | undefined;
/** The producer key attribute of a topic or work queue of the reference topology (resolved on first use, not at import). */
const keyAttribute = (destination: string) => {
  reference ??= resolveTopology(referenceTopology, 'dev');
  return (reference.topics.find((t) => t.name === destination) ??
    reference.endpoints.find((e) => e.name === destination))!.producerKeyAttribute;
};
/** The attributes a producer sets: the event type consumers dispatch on and the key they deduplicate on. */
const attributes = (destination: string, eventType: string, key: string) => ({
  [EVENT_TYPE_ATTRIBUTE]: str(eventType),
  [keyAttribute(destination)]: str(key),
});

export function buildDemoTraffic(size: DemoSize = {}): DemoTraffic {
  const orderCount = size.orders ?? 100;
  const orders: PublishBatchRequestEntry[] = [];
  const order = (eventType: string, key: string, body: object) =>
    orders.push({
      Id: `o${orders.length}`,
      Message: JSON.stringify(body),
      MessageAttributes: attributes('orders', eventType, key),
    });
  for (let i = 0; i < orderCount; i++) {
    const orderId = `order-${i}`;
    const email = `customer${i % 17}@example.com`;
    order('OrderPlaced', `placed:${orderId}`, {
      orderId,
      customerId: `customer-${i % 17}`,
      email,
      items: [{ sku: `sku-${i % 7}`, quantity: 1 + (i % 3) }],
      totalCents: 1_000 + i,
    });
    if (i % 3 === 0)
      order('OrderShipped', `shipped:${orderId}`, { orderId, email, carrier: 'ups', trackingId: `1Z${i}` });
    if (i % 5 === 4) order('OrderCancelled', `cancelled:${orderId}`, { orderId, reason: 'changed mind' });
  }
  const orderDuplicates: PublishBatchRequestEntry[] = [];
  for (let i = 0; i < orders.length; i += DUPLICATE_EVERY)
    orderDuplicates.push({ ...orders[i]!, Id: `d${orderDuplicates.length}` });
  const poison = size.poison ?? 3;
  for (let i = 0; i < poison; i++) order('OrderPlaced', `poison:${i}`, { orderId: `poison-${i}`, items: 'not-a-list' });

  const payments: PublishBatchRequestEntry[] = [];
  const expectedBalances: Record<string, number> = {};
  const accounts = size.accounts ?? 5;
  const perAccount = size.paymentsPerAccount ?? 20;
  for (let n = 0; n < perAccount; n++) {
    for (let a = 1; a <= accounts; a++) {
      const accountId = `account-${a}`;
      const refund = n % 4 === 3;
      const amountCents = refund ? 50 * a : 100 * a + n;
      // A refund refunds the capture before it; every second one refunds the same capture again, for
      // the same amount: two partial refunds of one payment, told apart by their refundId.
      const paymentId = `${accountId}-payment-${refund ? n - 1 - (n % 8 === 7 ? 4 : 0) : n}`;
      const refundId = `${accountId}-refund-${n}`;
      const eventType = refund ? 'PaymentRefunded' : 'PaymentCaptured';
      const id = refund ? refundId : paymentId;
      expectedBalances[accountId] = (expectedBalances[accountId] ?? 0) + (refund ? -amountCents : amountCents);
      payments.push({
        Id: `p${payments.length}`,
        Message: JSON.stringify(
          refund ? { paymentId, refundId, accountId, amountCents } : { paymentId, accountId, amountCents },
        ),
        MessageGroupId: accountId,
        MessageDeduplicationId: id,
        MessageAttributes: attributes('payments', eventType, id),
      });
    }
  }
  // A producer retry with a fresh deduplication id: SNS cannot drop it, the ledger's idempotency must.
  const paymentDuplicates: PublishBatchRequestEntry[] = [];
  for (let i = 0; i < payments.length; i += DUPLICATE_EVERY) {
    const original = payments[i]!;
    paymentDuplicates.push({
      ...original,
      Id: `d${paymentDuplicates.length}`,
      MessageDeduplicationId: `${original.MessageDeduplicationId}-retry`,
    });
  }

  const jobs: SendMessageBatchRequestEntry[] = [];
  const jobCount = size.jobs ?? 40;
  for (let i = 0; i < jobCount; i++) {
    const jobId = `job-${i}`;
    const tenantId = `tenant-${i % 3}`; // fair queue: the tenant is the MessageGroupId (tenantBy)
    const body =
      i % 2 === 0
        ? { jobId, kind: 'word-count', input: 'the quick brown fox '.repeat(1 + (i % 5)), tenantId }
        : { jobId, kind: 'checksum', input: `payload-${i}`, tenantId };
    jobs.push({
      Id: `j${i}`,
      MessageBody: JSON.stringify(body),
      MessageGroupId: tenantId,
      MessageAttributes: attributes('jobs', 'JobRequested', jobId),
    });
  }
  const jobDuplicates: SendMessageBatchRequestEntry[] = [];
  for (let i = 0; i < jobCount; i += DUPLICATE_EVERY)
    jobDuplicates.push({ ...jobs[i]!, Id: `d${jobDuplicates.length}` });

  return {
    first: { orders, payments, jobs },
    duplicates: { orders: orderDuplicates, payments: paymentDuplicates, jobs: jobDuplicates },
    expectedBalances,
    uniqueJobs: jobCount,
    poisonOrders: poison,
    duplicateOrders: orderDuplicates.length,
    duplicatePayments: paymentDuplicates.length,
    duplicateJobs: jobDuplicates.length,
  };
}
