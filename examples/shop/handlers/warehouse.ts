import { ConditionalCheckFailedException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { OrderPlaced } from '../events/orders.ts';
import { defineConsumer, dynamo, tableName } from 'fanout/runtime';

/** Creates one pick list per order. Idempotent by design: a redelivery finds the pick and stops. */
export const handler = defineConsumer({
  events: { OrderPlaced },
  handlers: {
    async OrderPlaced(order) {
      try {
        await dynamo().send(
          new PutItemCommand({
            TableName: tableName('picks'),
            Item: {
              orderId: { S: order.orderId },
              lines: { N: String(order.items.length) },
              units: { N: String(order.items.reduce((sum, item) => sum + item.quantity, 0)) },
              pickedAt: { S: new Date().toISOString() },
            },
            ConditionExpression: 'attribute_not_exists(orderId)',
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  },
});
