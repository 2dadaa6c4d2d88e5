import Table from 'cli-table3';
import type { ConsumerRow } from './app-demo.ts';

/** cli-table3 colours headers red by default, which reads as an error: keep them plain. */
export const PLAIN_TABLE = { style: { head: [], border: [] } };

/** The consumers' record outcomes as a printable table. */
export function renderConsumerTable(rows: readonly ConsumerRow[]): string {
  const table = new Table({
    head: ['consumer', 'delivery', 'processed', 'duplicates skipped', 'failed attempts', 'dropped', 'dead-lettered'],
    ...PLAIN_TABLE,
  });
  for (const c of rows)
    table.push([c.consumer, c.delivery, c.processed, c.duplicatesSkipped, c.failedAttempts, c.dropped, c.deadLettered]);
  return table.toString();
}
