import Table from 'cli-table3';
import type { Topology } from '../../topology/index.ts';
import { sleep } from '../retry.ts';
import { subscriberStatus, type SubscriberStatus } from '../status.ts';
import { defaultInsight } from '../status-insight.ts';
import { dim, green, operator, red, type TargetFlags } from './context.ts';

/** Alarms needing attention by name (red for ALARM), the healthy ones as a count: one short line. */
export function alarmCell(s: SubscriberStatus, prefix: string): string {
  if (s.alarms === undefined) return dim('n/a');
  if (s.alarms.length === 0) return dim('none');
  const kindOf = (name: string) =>
    name.startsWith(`${prefix}-${s.name}-`) ? name.slice(prefix.length + s.name.length + 2) : name;
  const attention = s.alarms
    .filter((a) => a.state !== 'OK')
    .map((a) => (a.state === 'ALARM' ? red : dim)(`${kindOf(a.name)} ${a.state}`));
  const ok = s.alarms.length - attention.length;
  return [...attention, ...(ok > 0 ? [green(`${ok} OK`)] : [])].join(', ');
}

function age(seconds: number | undefined): string {
  if (seconds === undefined) return dim('n/a');
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function renderStatus(rows: readonly SubscriberStatus[], prefix: string): string {
  const table = new Table({
    head: ['subscriber', 'delivery', 'visible', 'in flight', 'delayed', 'oldest', 'DLQ', 'alarms'],
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'left'],
    style: { head: [], border: [] },
  });
  for (const s of rows) {
    const dlq = s.dlqVisible === undefined ? dim('-') : s.dlqVisible > 0 ? red(String(s.dlqVisible)) : '0';
    table.push([
      `${s.path}${s.fifo ? ' (fifo)' : ''}`,
      s.delivery,
      s.visible,
      s.inFlight,
      s.delayed,
      age(s.oldestAgeSeconds),
      dlq,
      alarmCell(s, prefix),
    ]);
  }
  return table.toString();
}

/** `fanout status [--watch [seconds]]`. */
export async function statusCommand(
  topology: Topology,
  flags: TargetFlags & { readonly watch?: number | true },
): Promise<void> {
  const ops = await operator(topology, flags);
  const interval = flags.watch === true ? 2 : flags.watch;
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  try {
    do {
      const insight = await defaultInsight(ops);
      const rows = await subscriberStatus(ops, insight);
      const header = `Stack ${ops.target.outputs.stackName} (${ops.target.outputs.origin}) at ${new Date().toISOString()}`;
      const why = insight?.problem ?? 'no CloudWatch endpoint and no local status snapshot';
      const missing = rows[0]?.alarms === undefined ? dim(`\nage and alarms: n/a (${why})`) : '';
      if (interval) process.stdout.write('\x1b[2J\x1b[H');
      console.log(`${header}\n${renderStatus(rows, ops.target.topology.prefix)}${missing}`);
      if (interval) await sleep(interval * 1000);
    } while (interval && !stop.signal.aborted);
  } finally {
    ops.close();
  }
}
