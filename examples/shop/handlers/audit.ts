import { GetItemCommand, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { PaymentCaptured, PaymentRefunded } from '../events/payments.ts';
import { defineConsumer, dynamo, tableName, type RecordContext } from 'fanout/runtime';

/** `entryId` of the account's arrival counter: the last position handed out. */
const COUNTER = '#arrivals';

/**
 * Keeps one audit row per payment event (a capture and the refund of one payment are two rows,
 * `entryId` = `<eventType>#<paymentId>`, a refund's `<eventType>#<refundId>`: a payment may be refunded several times). Each row carries `arrival`, its position among the
 * account's rows in the order they were first recorded (1, 2, …), so an auditor can read an
 * account's history in order; `deliveries` counts how often it was delivered (at-least-once, on purpose).
 *
 * Positions come from a per-account counter row (`entryId` = `#arrivals`), written in the same
 * transaction as the row it numbers (staged writes, committed atomically): a new row takes the
 * counter's next value on the condition that the counter still holds the value read, so two writers
 * can never hand out one position, whatever the partition's size. A row already recorded keeps its
 * position and leaves the counter alone. An account without a counter (rows from before it existed)
 * starts it at its row count, paging through the partition once.
 */
async function record(payment: PaymentCaptured | PaymentRefunded, ctx: RecordContext): Promise<void> {
  const TableName = tableName('audit-log');
  const accountId = { S: payment.accountId };
  const entryId = { S: `${ctx.eventType}#${'refundId' in payment ? payment.refundId : payment.paymentId}` };
  const get = (key: AttributeValue) =>
    dynamo().send(new GetItemCommand({ TableName, Key: { accountId, entryId: key }, ConsistentRead: true }));
  const [{ Item: row }, { Item: counter }] = await Promise.all([get(entryId), get({ S: COUNTER })]);
  const values: Record<string, AttributeValue> = {
    ':p': { S: payment.paymentId },
    ':t': { S: ctx.eventType },
    ':a': { N: String(payment.amountCents) },
    ':now': { S: new Date().toISOString() },
    ':one': { N: '1' },
  };
  const fields = 'paymentId = :p, eventType = :t, amountCents = :a, recordedAt = if_not_exists(recordedAt, :now)';
  if (row?.arrival) {
    ctx.stage.update({
      TableName,
      Key: { accountId, entryId },
      UpdateExpression: `SET ${fields} ADD deliveries :one`,
      ExpressionAttributeValues: values,
    });
    return;
  }
  const last = counter?.last?.N === undefined ? await countRows(TableName, accountId) : Number(counter.last.N);
  ctx.stage.update({
    TableName,
    Key: { accountId, entryId: { S: COUNTER } },
    UpdateExpression: 'SET #last = :next',
    ConditionExpression: counter ? '#last = :last' : 'attribute_not_exists(#last)',
    ExpressionAttributeNames: { '#last': 'last' },
    ExpressionAttributeValues: { ':next': { N: String(last + 1) }, ...(counter ? { ':last': counter.last! } : {}) },
  });
  ctx.stage.update({
    TableName,
    Key: { accountId, entryId },
    UpdateExpression: `SET ${fields}, arrival = :arrival ADD deliveries :one`,
    ConditionExpression: 'attribute_not_exists(arrival)',
    ExpressionAttributeValues: { ...values, ':arrival': { N: String(last + 1) } },
  });
}

/** Rows of an account before its counter existed: every page of the partition. */
async function countRows(TableName: string, accountId: AttributeValue): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo().send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'accountId = :a',
        ExpressionAttributeValues: { ':a': accountId },
        Select: 'COUNT',
        ConsistentRead: true,
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }),
    );
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

export const handler = defineConsumer({
  events: { PaymentCaptured, PaymentRefunded },
  effects: 'staged',
  handlers: { PaymentCaptured: record, PaymentRefunded: record },
});
