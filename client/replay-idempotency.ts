import { BatchWriteItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ResolvedEndpoint } from '../topology/index.ts';
import { batchesOf, idempotencyKeyPrefix, IDEMPOTENCY_RECORD as F, IDEMPOTENCY_STATUS } from '../contracts/index.ts';

/** What clearing a subscriber's idempotency records for a replay window did. */
export interface ClearedRecords {
  /** Records deleted: their messages run again when replayed. */
  readonly deleted: number;
  /** Records of messages being processed right now, left alone (deleting a held lock would let a copy run beside it). */
  readonly inProgress: number;
  /** The subscriber's records outside the window, kept. */
  readonly outsideWindow: number;
  /** Records judged by their completion time, having no `publishedAt`. */
  readonly byCompletionTime: number;
}

const BATCH_DELETE_MAX = 25;

/**
 * When a record's message was published, ms: its `publishedAt` when the runtime wrote one, else its
 * completion time (`expiresAt` minus the endpoint's record TTL), which is never earlier.
 */
function publishedAt(
  item: Record<string, AttributeValue>,
  ttlHours: number,
): { at: number; exact: boolean } | undefined {
  const exact = Number(item[F.publishedAt]?.N);
  if (Number.isFinite(exact)) return { at: exact, exact: true };
  const expires = Number(item[F.expiresAt]?.N);
  return Number.isFinite(expires) ? { at: (expires - ttlHours * 3600) * 1000, exact: false } : undefined;
}

/**
 * Deletes the idempotency records of one subscriber (`<consumer>#…`, nobody else's) whose messages
 * were published in [from, to], so replayed copies of those messages run again instead of being
 * acknowledged as duplicates. Records without `publishedAt` count as published when they completed:
 * a message published before `from` but processed after it is cleared too (with `to` open, every
 * message of the window is cleared; none before `from` that completed before it).
 */
export async function clearWindowRecords(
  dynamodb: DynamoDBClient,
  tableName: string,
  endpoint: ResolvedEndpoint,
  from: Date,
  to: Date | undefined,
): Promise<ClearedRecords> {
  let deleted = 0;
  let inProgress = 0;
  let outsideWindow = 0;
  let byCompletionTime = 0;
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(#id, :prefix)',
        ExpressionAttributeNames: { '#id': F.id },
        ExpressionAttributeValues: { ':prefix': { S: idempotencyKeyPrefix(endpoint.name) } },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    ExclusiveStartKey = page.LastEvaluatedKey;
    const doomed: Record<string, AttributeValue>[] = [];
    for (const item of page.Items ?? []) {
      if (item[F.status]?.S === IDEMPOTENCY_STATUS.inProgress) {
        inProgress++;
        continue;
      }
      const when = publishedAt(item, endpoint.idempotencyTtlHours);
      if (!when || when.at < from.getTime() || (to && when.exact && when.at > to.getTime())) {
        outsideWindow++;
        continue;
      }
      if (!when.exact) byCompletionTime++;
      doomed.push({ [F.id]: item[F.id]! });
    }
    for (const batch of batchesOf(doomed, BATCH_DELETE_MAX)) {
      let requests = batch.map((Key) => ({ DeleteRequest: { Key } }));
      while (requests.length > 0) {
        const { UnprocessedItems } = await dynamodb.send(
          new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }),
        );
        const left = UnprocessedItems?.[tableName] ?? [];
        deleted += requests.length - left.length;
        requests = left as typeof requests;
      }
    }
  } while (ExclusiveStartKey);
  return { deleted, inProgress, outsideWindow, byCompletionTime };
}
