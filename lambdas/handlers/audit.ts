import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PaymentCaptured, PaymentRefunded } from '../../topology/events/payments.ts';
import { defineConsumer, dynamo, tableName, type RecordContext } from '../runtime/index.ts';

/** Keeps an audit row per payment; `deliveries` counts how often it was delivered. */
async function record(payment: PaymentCaptured, ctx: RecordContext): Promise<void> {
  await dynamo().send(
    new UpdateItemCommand({
      TableName: tableName('audit-log'),
      Key: { accountId: { S: payment.accountId }, paymentId: { S: payment.paymentId } },
      UpdateExpression: 'SET eventType = :t, amountCents = :a, recordedAt = if_not_exists(recordedAt, :now) ADD deliveries :one',
      ExpressionAttributeValues: {
        ':t': { S: ctx.eventType },
        ':a': { N: String(payment.amountCents) },
        ':now': { S: new Date().toISOString() },
        ':one': { N: '1' },
      },
    }),
  );
}

export const handler = defineConsumer({
  events: { PaymentCaptured, PaymentRefunded },
  handlers: { PaymentCaptured: record, PaymentRefunded: record },
});
