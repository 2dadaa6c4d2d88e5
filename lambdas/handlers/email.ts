import { OrderPlaced, OrderShipped } from '../../topology/events/orders.ts';
import { defineConsumer, tableName, updateOnce, type RecordContext } from '../runtime/index.ts';

/**
 * Records the email "sent" for an order event; `sends` counts how often it was sent. `updateOnce`
 * makes a redelivery after a crash between this write and the idempotency completion a no-op.
 */
async function send(ctx: RecordContext, emailId: string, to: string, template: string): Promise<void> {
  await updateOnce(ctx, {
    TableName: tableName('sent-emails'),
    Key: { emailId: { S: emailId } },
    UpdateExpression: 'SET recipient = :to, template = :t, sentAt = :now ADD sends :one',
    ExpressionAttributeValues: {
      ':to': { S: to },
      ':t': { S: template },
      ':now': { S: new Date().toISOString() },
      ':one': { N: '1' },
    },
  });
}

export const handler = defineConsumer({
  events: { OrderPlaced, OrderShipped },
  handlers: {
    OrderPlaced: (order, ctx) => send(ctx, `${order.orderId}#confirmation`, order.email, 'order-confirmation'),
    OrderShipped: (shipped, ctx) => send(ctx, `${shipped.orderId}#shipped`, shipped.email, 'order-shipped'),
  },
});
