import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { OrderCancelled, OrderPlaced } from '../events/orders.ts';
import { defineConsumer, dynamo, tableName } from 'fanout/runtime';

/**
 * Reserves stock for placed orders and releases it for cancelled ones. ADD is not idempotent on
 * purpose (a second run would show as a doubled reservation). Every row write is staged and commits
 * with the message's idempotency record: all rows of an order or none, once. A cancellation reads
 * the reservations first (an ordinary read) and releases only rows still reserved: the condition
 * on each write guards the decision taken on the read.
 */
export const handler = defineConsumer({
  events: { OrderPlaced, OrderCancelled },
  effects: 'staged',
  handlers: {
    async OrderPlaced(order, ctx) {
      const TableName = tableName('reservations');
      for (const item of order.items) {
        ctx.stage.update({
          TableName,
          Key: { orderId: { S: order.orderId }, sku: { S: item.sku } },
          UpdateExpression: 'ADD reserved :q SET #status = :reserved',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':q': { N: String(item.quantity) }, ':reserved': { S: 'reserved' } },
        });
      }
    },
    async OrderCancelled(cancel, ctx) {
      const TableName = tableName('reservations');
      const { Items = [] } = await dynamo().send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'orderId = :o',
          ExpressionAttributeValues: { ':o': { S: cancel.orderId } },
          ConsistentRead: true,
        }),
      );
      for (const item of Items) {
        ctx.stage.update({
          TableName,
          Key: { orderId: item.orderId!, sku: item.sku! },
          UpdateExpression: 'SET #status = :released ADD releases :one',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':released': { S: 'released' }, ':one': { N: '1' } },
        });
      }
    },
  },
});
