import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PaymentCaptured, PaymentRefunded } from '../../topology/events/payments.ts';
import { defineConsumer, dynamo, tableName } from '../runtime/index.ts';

/** Applies a payment to its account's balance. ADD is not idempotent: balances prove exactly-once. */
async function post(accountId: string, paymentId: string, deltaCents: number): Promise<void> {
  await dynamo().send(
    new UpdateItemCommand({
      TableName: tableName('ledger'),
      Key: { accountId: { S: accountId } },
      UpdateExpression: 'ADD balanceCents :delta, entries :one SET lastPaymentId = :p',
      ExpressionAttributeValues: {
        ':delta': { N: String(deltaCents) },
        ':one': { N: '1' },
        ':p': { S: paymentId },
      },
    }),
  );
}

export const handler = defineConsumer({
  events: { PaymentCaptured, PaymentRefunded },
  handlers: {
    PaymentCaptured: (p) => post(p.accountId, p.paymentId, p.amountCents),
    PaymentRefunded: (p) => post(p.accountId, p.paymentId, -p.amountCents),
  },
});
