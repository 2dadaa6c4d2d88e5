import Table from 'cli-table3';
import type { Topology } from '../../topology/index.ts';
import { checkArchiveSchemas, checkDeadLetterSchemas } from '../schema-check.ts';
import { FanoutClientError } from '../errors.ts';
import { green, operator, red, type TargetFlags } from './context.ts';

/**
 * `fanout schema check [--against dlq] [subscriber]` or `--against archive <topic>`: the current
 * schemas over the messages waiting in the DLQs or a FIFO topic's archive; lists each one they would
 * reject and exits 1 when there is any.
 */
export async function schemaCheckCommand(
  topology: Topology,
  name: string | undefined,
  flags: TargetFlags & { readonly against: 'dlq' | 'archive'; readonly max: number; readonly json?: boolean },
): Promise<void> {
  if (flags.against === 'archive' && !name)
    throw new FanoutClientError(
      `--against archive needs the FIFO topic whose archive to check. Fix: fanout schema check --against archive <topic>.`,
    );
  const ops = await operator(topology, flags);
  // Ctrl-C while an archive is replayed still removes the scratch subscription and queue.
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  try {
    const { checked, violations } =
      flags.against === 'archive'
        ? await checkArchiveSchemas(ops, name!, { max: flags.max, signal: stop.signal })
        : await checkDeadLetterSchemas(ops, name ? [name] : [], flags.max);
    if (violations.length > 0) process.exitCode = 1;
    if (flags.json) {
      for (const violation of violations) console.log(JSON.stringify(violation));
      return;
    }
    const read = Object.values(checked).reduce((a, b) => a + b, 0);
    const where = Object.entries(checked)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
    if (violations.length === 0) {
      console.log(
        green(`${read} waiting message(s) checked (${where || 'no DLQ'}): every one passes the current schemas.`),
      );
      return;
    }
    console.log(red(`${violations.length} of ${read} waiting message(s) (${where}) would fail the current schemas:`));
    const table = new Table({
      head: ['waiting in', 'message id', 'event type', 'issue'],
      style: { head: [], border: [] },
      wordWrap: true,
      colWidths: [null, null, null, 80] as unknown as number[],
    });
    for (const v of violations) table.push([v.source, v.messageId, v.eventType ?? '?', v.issue]);
    console.log(table.toString());
  } finally {
    process.off('SIGINT', onSigint);
    ops.close();
  }
}
