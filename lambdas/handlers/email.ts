import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { OrderPlaced, OrderShipped } from '../../topology/events/orders.ts';
import { defineConsumer, dynamo, tableName } from '../runtime/index.ts';

/** Records the email "sent" for an order event; `sends` counts how often it was sent. */
async function send(emailId: string, to: string, template: string): Promise<void> {
  await dynamo().send(
    new UpdateItemCommand({
      TableName: tableName('sent-emails'),
      Key: { emailId: { S: emailId } },
      UpdateExpression: 'SET recipient = :to, template = :t, sentAt = :now ADD sends :one',
      ExpressionAttributeValues: {
        ':to': { S: to },
        ':t': { S: template },
        ':now': { S: new Date().toISOString() },
        ':one': { N: '1' },
      },
    }),
  );
}

export const handler = defineConsumer({
  events: { OrderPlaced, OrderShipped },
  handlers: {
    OrderPlaced: (order) => send(`${order.orderId}#confirmation`, order.email, 'order-confirmation'),
    OrderShipped: (shipped) => send(`${shipped.orderId}#shipped`, shipped.email, 'order-shipped'),
  },
});
