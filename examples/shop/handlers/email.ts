import { OrderPlaced, OrderShipped } from '../events/orders.ts';
import { defineConsumer, tableName, type RecordContext } from 'fanout/runtime';

/**
 * Records the email "sent" for an order event; `sends` counts how often it was sent. The write is
 * staged, so it commits with the message's idempotency record: one send per message, crashes included.
 */
function send(ctx: RecordContext, emailId: string, to: string, template: string): void {
  ctx.stage.update({
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
  effects: 'staged',
  handlers: {
    OrderPlaced: async (order, ctx) => send(ctx, `${order.orderId}#confirmation`, order.email, 'order-confirmation'),
    OrderShipped: async (shipped, ctx) => send(ctx, `${shipped.orderId}#shipped`, shipped.email, 'order-shipped'),
  },
});
