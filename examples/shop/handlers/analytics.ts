import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { OrderCancelled, OrderPlaced, OrderShipped } from '../events/orders.ts';
import { defineConsumer, dynamo, tableName } from 'fanout/runtime';

async function count(eventType: string): Promise<void> {
  await dynamo().send(
    new UpdateItemCommand({
      TableName: tableName('event-counts'),
      Key: { eventType: { S: eventType } },
      UpdateExpression: 'ADD #count :one',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':one': { N: '1' } },
    }),
  );
}

/** Counts order events by type (at-most-once: a lost count is acceptable, a blocked queue is not). */
export const handler = defineConsumer({
  events: { OrderPlaced, OrderCancelled, OrderShipped },
  handlers: {
    OrderPlaced: () => count('OrderPlaced'),
    OrderCancelled: () => count('OrderCancelled'),
    OrderShipped: () => count('OrderShipped'),
  },
});
