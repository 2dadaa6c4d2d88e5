import { QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PaymentCaptured, PaymentRefunded } from '../../topology/events/payments.ts';
import { defineConsumer, dynamo, tableName, type RecordContext } from '../runtime/index.ts';

/**
 * Keeps one audit row per payment event (a capture and the refund of one payment are two rows,
 * `entryId` = `<eventType>#<paymentId>`, a refund's `<eventType>#<refundId>`: a payment may be refunded several times). Each row carries `arrival`, its position among the
 * account's rows in the order they were first recorded (1, 2, …), so an auditor can read an
 * account's history in order; `deliveries` counts how often it was delivered. Positions come from
 * counting the account's rows: sound because a FIFO group is processed one message at a time.
 */
async function record(payment: PaymentCaptured | PaymentRefunded, ctx: RecordContext): Promise<void> {
  const TableName = tableName('audit-log');
  const accountId = { S: payment.accountId };
  const { Count = 0 } = await dynamo().send(
    new QueryCommand({
      TableName,
      KeyConditionExpression: 'accountId = :a',
      ExpressionAttributeValues: { ':a': accountId },
      Select: 'COUNT',
      ConsistentRead: true,
    }),
  );
  await dynamo().send(
    new UpdateItemCommand({
      TableName,
      Key: {
        accountId,
        entryId: { S: `${ctx.eventType}#${'refundId' in payment ? payment.refundId : payment.paymentId}` },
      },
      UpdateExpression:
        'SET paymentId = :p, eventType = :t, amountCents = :a, recordedAt = if_not_exists(recordedAt, :now), arrival = if_not_exists(arrival, :arrival) ADD deliveries :one',
      ExpressionAttributeValues: {
        ':p': { S: payment.paymentId },
        ':t': { S: ctx.eventType },
        ':a': { N: String(payment.amountCents) },
        ':now': { S: new Date().toISOString() },
        ':arrival': { N: String(Count + 1) },
        ':one': { N: '1' },
      },
    }),
  );
}

export const handler = defineConsumer({
  events: { PaymentCaptured, PaymentRefunded },
  handlers: { PaymentCaptured: record, PaymentRefunded: record },
});
