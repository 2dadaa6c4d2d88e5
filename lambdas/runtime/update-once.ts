import {
  ConditionalCheckFailedException,
  GetItemCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { dynamo } from './clients.ts';
import type { RecordContext } from './definition.ts';

/** Item attribute (a string set) holding the idempotency keys of the messages applied to the item. */
export const APPLIED_KEYS_ATTRIBUTE = 'fanoutAppliedKeys';
const NAME = '#fanoutApplied';
const KEY = ':fanoutKey';
const KEY_SET = ':fanoutKeySet';

/** Adds "record this message's key in the item, unless it is there" to an update. */
function fenced(input: UpdateItemCommandInput, key: string): UpdateItemCommandInput {
  const expression = input.UpdateExpression ?? '';
  const add = `${NAME} ${KEY_SET}`;
  // The ADD clause keyword, not a placeholder or name that happens to end in 'add' (`#add`, `:add`).
  const clause = /(^|\s)ADD\s+/i;
  const update = clause.test(expression) ? expression.replace(clause, (m) => `${m}${add}, `) : `${expression} ADD ${add}`;
  const fence = `NOT contains(${NAME}, ${KEY})`;
  return {
    ...input,
    UpdateExpression: update.trim(),
    ConditionExpression: input.ConditionExpression ? `(${input.ConditionExpression}) AND ${fence}` : fence,
    ExpressionAttributeNames: { ...input.ExpressionAttributeNames, [NAME]: APPLIED_KEYS_ATTRIBUTE },
    ExpressionAttributeValues: { ...input.ExpressionAttributeValues, [KEY]: { S: key }, [KEY_SET]: { SS: [key] } },
  };
}

/**
 * Runs a single-item `UpdateItem` at most once per message: the message's idempotency key is
 * recorded in the item in the same atomic write as the effect, and a write whose key is already
 * there is skipped. This closes the window the idempotency record cannot: a crash after the effect
 * and before the record's completion, after which a redelivery would apply the effect again.
 * Meant for items a bounded number of messages touch (a row per order or per email); for an item
 * every message updates (a balance), fence by a sequence number instead (see handlers/ledger.ts).
 * Without an idempotency key (not exactly-once), the update runs as given.
 * @returns whether the update was applied (false: this message had already applied it)
 */
export async function updateOnce(ctx: RecordContext, input: UpdateItemCommandInput): Promise<boolean> {
  const key = ctx.idempotencyKey;
  if (!key) {
    await dynamo().send(new UpdateItemCommand(input));
    return true;
  }
  try {
    await dynamo().send(new UpdateItemCommand(fenced(input, key)));
    return true;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // The caller's own condition may be what failed: only a key already in the item means "applied".
    const { Item } = await dynamo().send(
      new GetItemCommand({ TableName: input.TableName, Key: input.Key, ConsistentRead: true, ProjectionExpression: NAME, ExpressionAttributeNames: { [NAME]: APPLIED_KEYS_ATTRIBUTE } }),
    );
    if (!Item?.[APPLIED_KEYS_ATTRIBUTE]?.SS?.includes(key)) throw error;
    ctx.log('update already applied by this message', { table: input.TableName, idempotencyKey: key });
    return false;
  }
}
