import { GetItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Publication } from './history.ts';
import type { AuditRow, Observations } from './observations.ts';
import type { JobRow } from './request-oracle.ts';

/** Physical table name per topology table name. */
export type TableNames = (table: string) => string;

export const ORDER_EVENT_TYPES = ['OrderPlaced', 'OrderCancelled', 'OrderShipped'] as const;

const num = (v: AttributeValue | undefined) => Number(v?.N ?? 0);

async function get(db: DynamoDBClient, TableName: string, Key: Record<string, AttributeValue>) {
  return (await db.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }))).Item;
}

/** Every page: a partition may be larger than one 1 MB query page. */
async function query(db: DynamoDBClient, TableName: string, name: string, value: string) {
  const items: Record<string, AttributeValue>[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: '#k = :v',
        ExpressionAttributeNames: { '#k': name },
        ExpressionAttributeValues: { ':v': { S: value } },
        ConsistentRead: true,
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** The at-most-once counts per order event type (global: histories measure deltas). */
export async function readCounts(db: DynamoDBClient, tables: TableNames): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const type of ORDER_EVENT_TYPES)
    counts.set(type, num((await get(db, tables('event-counts'), { eventType: { S: type } }))?.count));
  return counts;
}

/** The business tables' rows for the history's ids (every publication's, accepted or not). */
export async function readTables(
  db: DynamoDBClient,
  tables: TableNames,
  pubs: readonly Publication[],
  countsBefore: ReadonlyMap<string, number>,
): Promise<Omit<Observations, 'deadLetters' | 'everDeadLettered' | 'crashed'>> {
  const accounts = [...new Set(pubs.flatMap((p) => (p.accountId ? [p.accountId] : [])))];
  const orders = [...new Set(pubs.filter((p) => !p.accountId).map((p) => p.businessId))];
  const ledger = new Map<string, { balance: number; entries: number }>();
  const audit = new Map<string, AuditRow[]>();
  for (const account of accounts) {
    const row = await get(db, tables('ledger'), { accountId: { S: account } });
    if (row) ledger.set(account, { balance: num(row.balanceCents), entries: num(row.entries) });
    const rows = await query(db, tables('audit-log'), 'accountId', account);
    audit.set(
      account,
      rows.map((r) => ({
        entryId: r.entryId?.S ?? '',
        arrival: r.arrival ? num(r.arrival) : undefined,
        deliveries: num(r.deliveries),
      })),
    );
  }
  const reservations = new Map<string, { reserved: number; held: number; releases: number }>();
  const emails = new Map<string, number>();
  const picks = new Set<string>();
  for (const order of orders) {
    const rows = await query(db, tables('reservations'), 'orderId', order);
    if (rows.length)
      reservations.set(order, {
        reserved: rows.reduce((s, r) => s + num(r.reserved), 0),
        held: rows.reduce((s, r) => s + (r.status?.S === 'reserved' ? num(r.reserved) : 0), 0),
        releases: rows.reduce((s, r) => s + num(r.releases), 0),
      });
    for (const suffix of ['confirmation', 'shipped']) {
      const email = await get(db, tables('sent-emails'), { emailId: { S: `${order}#${suffix}` } });
      if (email) emails.set(`${order}#${suffix}`, num(email.sends));
    }
    if (await get(db, tables('picks'), { orderId: { S: order } })) picks.add(order);
  }
  const after = await readCounts(db, tables);
  const countDeltas = new Map([...after].map(([type, n]) => [type, n - (countsBefore.get(type) ?? 0)]));
  return { ledger, audit, reservations, emails, picks, countDeltas };
}

/** The `job-results` rows of the history's jobs. */
export async function readJobRows(
  db: DynamoDBClient,
  table: string,
  jobIds: readonly string[],
): Promise<Map<string, JobRow>> {
  const rows = new Map<string, JobRow>();
  for (const jobId of jobIds) {
    const item = await get(db, table, { jobId: { S: jobId } });
    if (item) rows.set(jobId, { runs: num(item.runs), result: item.result?.S });
  }
  return rows;
}
