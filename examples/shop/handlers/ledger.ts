import { PaymentCaptured, PaymentRefunded } from '../events/payments.ts';
import { defineConsumer, tableName, type RecordContext } from 'fanout/runtime';

/**
 * Applies a payment to its account's balance. ADD is not idempotent on purpose: balances prove
 * exactly-once. The write is staged: the runtime commits it in one transaction with the payment's
 * idempotency record, so a redelivery, a duplicate or a crash at any point applies it once.
 */
function post(ctx: RecordContext, accountId: string, paymentId: string, deltaCents: number): void {
  ctx.stage.update({
    TableName: tableName('ledger'),
    Key: { accountId: { S: accountId } },
    UpdateExpression: 'ADD balanceCents :delta, entries :one SET lastPaymentId = :p',
    ExpressionAttributeValues: { ':delta': { N: String(deltaCents) }, ':one': { N: '1' }, ':p': { S: paymentId } },
  });
}

export const handler = defineConsumer({
  events: { PaymentCaptured, PaymentRefunded },
  effects: 'staged',
  handlers: {
    PaymentCaptured: async (p, ctx) => post(ctx, p.accountId, p.paymentId, p.amountCents),
    PaymentRefunded: async (p, ctx) => post(ctx, p.accountId, p.paymentId, -p.amountCents),
  },
});
