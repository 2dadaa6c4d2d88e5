import { ConditionalCheckFailedException, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PaymentCaptured, PaymentRefunded } from '../../topology/events/payments.ts';
import { defineConsumer, dynamo, tableName, type RecordContext } from '../runtime/index.ts';

/** SQS sequence numbers are up to 128-bit decimals: padded, they compare correctly as strings. */
const SEQUENCE_WIDTH = 40;

/**
 * Applies a payment to its account's balance. ADD is not idempotent on purpose: balances prove
 * exactly-once. The runtime's idempotency record stops duplicates; on a FIFO queue the write is also
 * fenced by the message's sequence number, so a redelivery after a crash between this write and the
 * idempotency completion finds the posting already applied instead of applying it twice.
 */
async function post(accountId: string, paymentId: string, deltaCents: number, ctx: RecordContext): Promise<void> {
  const sequence = ctx.sequenceNumber?.padStart(SEQUENCE_WIDTH, '0');
  try {
    await dynamo().send(
      new UpdateItemCommand({
        TableName: tableName('ledger'),
        Key: { accountId: { S: accountId } },
        UpdateExpression: `ADD balanceCents :delta, entries :one SET lastPaymentId = :p${sequence ? ', lastSequence = :seq' : ''}`,
        ...(sequence ? { ConditionExpression: 'attribute_not_exists(lastSequence) OR lastSequence < :seq' } : {}),
        ExpressionAttributeValues: {
          ':delta': { N: String(deltaCents) },
          ':one': { N: '1' },
          ':p': { S: paymentId },
          ...(sequence ? { ':seq': { S: sequence } } : {}),
        },
      }),
    );
  } catch (error) {
    if (!(sequence && error instanceof ConditionalCheckFailedException)) throw error;
    ctx.log('posting already applied (sequence fence)', { accountId, paymentId, sequenceNumber: ctx.sequenceNumber });
  }
}

export const handler = defineConsumer({
  events: { PaymentCaptured, PaymentRefunded },
  handlers: {
    PaymentCaptured: (p, ctx) => post(p.accountId, p.paymentId, p.amountCents, ctx),
    PaymentRefunded: (p, ctx) => post(p.accountId, p.paymentId, -p.amountCents, ctx),
  },
});
