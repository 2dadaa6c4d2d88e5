import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { defineConsumer, dynamo, tableName, type RecordContext } from '../../../lambdas/runtime/index.ts';
import { FundsCaptured, FundsRefunded } from '../../fixtures/app/events.ts';

/**
 * The ledger with a direct (unstaged) write: a handler with an effect the runtime cannot commit
 * itself, as an email API call would be. Exactly-once then rests on the fenced lease, and a crash
 * between the effect and the completion repeats the effect: what these tests show.
 */
async function post(accountId: string, paymentId: string, deltaCents: number, _ctx: RecordContext): Promise<void> {
  await dynamo().send(
    new UpdateItemCommand({
      TableName: tableName('ledger'),
      Key: { accountId: { S: accountId } },
      UpdateExpression: 'ADD balanceCents :delta, entries :one SET lastPaymentId = :p',
      ExpressionAttributeValues: { ':delta': { N: String(deltaCents) }, ':one': { N: '1' }, ':p': { S: paymentId } },
    }),
  );
}

export const handler = defineConsumer({
  events: { FundsCaptured, FundsRefunded },
  handlers: {
    FundsCaptured: (p, ctx) => post(p.accountId, p.paymentId, p.amountCents, ctx),
    FundsRefunded: (p, ctx) => post(p.accountId, p.paymentId, -p.amountCents, ctx),
  },
});
