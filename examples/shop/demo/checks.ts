import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { LocalCloud } from 'fanout/local';

type AwsClients = LocalCloud['clients'];

async function scanAll(clients: AwsClients, tableName: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await clients.dynamodb.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

export interface BalanceCheck {
  readonly accountId: string;
  readonly expected: number;
  readonly actual: number | undefined;
}

/** Ledger balances in DynamoDB against the expected values (the exactly-once oracle). */
export async function checkBalances(
  clients: AwsClients,
  ledgerTable: string,
  expected: Readonly<Record<string, number>>,
): Promise<BalanceCheck[]> {
  const items = await scanAll(clients, ledgerTable);
  const actual = new Map(
    items.map((i) => [i.accountId?.S, i.balanceCents?.N !== undefined ? Number(i.balanceCents.N) : undefined]),
  );
  return Object.entries(expected).map(([accountId, value]) => ({
    accountId,
    expected: value,
    actual: actual.get(accountId),
  }));
}

export interface JobCheck {
  readonly results: number;
  /** Jobs whose effect ran more than once. */
  readonly ranTwice: number;
}

export async function checkJobs(clients: AwsClients, jobsTable: string): Promise<JobCheck> {
  const items = await scanAll(clients, jobsTable);
  return { results: items.length, ranTwice: items.filter((i) => Number(i.runs?.N ?? '1') > 1).length };
}
