import Table from 'cli-table3';
import type { DemoResult } from './run-demo.ts';

/** cli-table3 colours headers red by default, which reads as an error: keep them plain. */
const PLAIN = { style: { head: [], border: [] } };

/** The demo's summary as printable tables. */
export function renderSummary(result: DemoResult): string {
  const consumers = new Table({
    head: ['consumer', 'delivery', 'processed', 'duplicates skipped', 'failed attempts', 'dropped', 'dead-lettered'],
    ...PLAIN,
  });
  for (const c of result.consumers)
    consumers.push([
      c.consumer,
      c.delivery,
      c.processed,
      c.duplicatesSkipped,
      c.failedAttempts,
      c.dropped,
      c.deadLettered,
    ]);
  const balances = new Table({ head: ['account', 'expected balance', 'ledger balance', 'check'], ...PLAIN });
  for (const b of result.balances)
    balances.push([b.accountId, b.expected, b.actual ?? '(missing)', b.actual === b.expected ? 'ok' : 'MISMATCH']);
  const t = result.traffic;
  const lines = [
    `Published ${result.published} messages: ${t.first.orders.length} order events (${t.poisonOrders} of them poison) + ${t.duplicateOrders} duplicate publishes, ` +
      `${t.first.payments.length} payments + ${t.duplicatePayments} producer retries, ${t.first.jobs.length} jobs + ${t.duplicateJobs} duplicates.`,
    consumers.toString(),
    balances.toString(),
    `Jobs: ${result.jobs.results}/${t.uniqueJobs} results, ${result.jobs.ranTwice} ran more than once.`,
    `Alarms that fired: ${result.alarmsFired.length ? result.alarmsFired.join(', ') : 'none'}`,
    result.drained ? 'All queues drained.' : 'Queues did NOT drain before the timeout.',
    result.ok ? 'Result: OK — every check passed.' : 'Result: FAILED — see the tables above.',
  ];
  return lines.join('\n');
}
