import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { OrderCancelled, OrderPlaced } from '../../topology/events/orders.ts';
import { defineConsumer, dynamo, tableName, updateOnce } from '../runtime/index.ts';

/**
 * Reserves stock for placed orders and releases it for cancelled ones. ADD is not idempotent on
 * purpose (a second run would show as a doubled reservation); `updateOnce` fences every row write by
 * the message's idempotency key, so a redelivery after a crash mid-order applies only what is missing.
 */
export const handler = defineConsumer({
  events: { OrderPlaced, OrderCancelled },
  handlers: {
    async OrderPlaced(order, ctx) {
      const TableName = tableName('reservations');
      for (const item of order.items) {
        await updateOnce(ctx, {
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
        }),
      );
      for (const item of Items) {
        await updateOnce(ctx, {
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
