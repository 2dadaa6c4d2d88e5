import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { OrderCancelled, OrderPlaced } from '../events/orders.ts';
import { defineConsumer, dynamo, PermanentError, tableName } from 'fanout/runtime';

/** Sort key of the order's own row in `reservations`: how many placements committed, and whether it was cancelled. */
const ORDER_ROW = '#order';

/**
 * Reserves stock for placed orders and releases it for cancelled ones, correct in any delivery order
 * (a standard topic promises none, and a batch's records run in parallel). ADD is not idempotent on
 * purpose (a second run would show as a doubled reservation). Every write is staged and commits with
 * the message's idempotency record: all rows of a message or none, once.
 *
 * Reads are ordinary reads, so every decision taken on one is guarded by a condition on a write in
 * the same transaction, on the order's own row (`#order`): a placement reserves only if the order is
 * not cancelled (`attribute_not_exists(cancelled)`), a cancellation releases the rows it read only if
 * the placements it saw are all there are (`placements = :seen`). When another message committed
 * between the read and the commit, the condition fails, nothing is written, and the message is
 * retried: its next read sees the other's effect. So a cancel before, beside or after its placement
 * leaves no stock reserved, and a placement after its cancel reserves nothing.
 */
export const handler = defineConsumer({
  events: { OrderPlaced, OrderCancelled },
  effects: 'staged',
  handlers: {
    async OrderPlaced(order, ctx) {
      const TableName = tableName('reservations');
      const orderId = { S: order.orderId };
      if (order.items.some((item) => item.sku === ORDER_ROW))
        throw new PermanentError(`sku '${ORDER_ROW}' is reserved for the order's own row; rename the sku`);
      const { Item: own } = await dynamo().send(
        new GetItemCommand({ TableName, Key: { orderId, sku: { S: ORDER_ROW } }, ConsistentRead: true }),
      );
      if (own?.cancelled) return; // Cancelled before it was placed: nothing to reserve.
      ctx.stage.update({
        TableName,
        Key: { orderId, sku: { S: ORDER_ROW } },
        UpdateExpression: 'ADD placements :one',
        ConditionExpression: 'attribute_not_exists(cancelled)',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      });
      // One write per sku: a transaction may not touch one item twice, and an order may list a sku twice.
      const quantities = new Map<string, number>();
      for (const item of order.items) quantities.set(item.sku, (quantities.get(item.sku) ?? 0) + item.quantity);
      for (const [sku, quantity] of quantities) {
        ctx.stage.update({
          TableName,
          Key: { orderId, sku: { S: sku } },
          UpdateExpression: 'ADD reserved :q SET #status = :reserved',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':q': { N: String(quantity) }, ':reserved': { S: 'reserved' } },
        });
      }
    },
    async OrderCancelled(cancel, ctx) {
      const TableName = tableName('reservations');
      const orderId = { S: cancel.orderId };
      const { Items = [] } = await dynamo().send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'orderId = :o',
          ExpressionAttributeValues: { ':o': orderId },
          ConsistentRead: true,
        }),
      );
      const own = Items.find((item) => item.sku?.S === ORDER_ROW);
      const seen = own?.placements?.N;
      ctx.stage.update({
        TableName,
        Key: { orderId, sku: { S: ORDER_ROW } },
        UpdateExpression: 'SET cancelled = :true',
        ConditionExpression: seen === undefined ? 'attribute_not_exists(placements)' : 'placements = :seen',
        ExpressionAttributeValues: { ':true': { BOOL: true }, ...(seen === undefined ? {} : { ':seen': { N: seen } }) },
      });
      for (const item of Items) {
        if (item.sku?.S === ORDER_ROW || item.status?.S !== 'reserved') continue;
        ctx.stage.update({
          TableName,
          Key: { orderId, sku: item.sku! },
          UpdateExpression: 'SET #status = :released ADD releases :one',
          ConditionExpression: '#status = :reserved',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':released': { S: 'released' },
            ':reserved': { S: 'reserved' },
            ':one': { N: '1' },
          },
        });
      }
    },
  },
});
