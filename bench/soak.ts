/**
 * `npm run soak -- --events N [--baseline <git-rev>]`: N order events through the reference stack
 * with 10% duplicate publishes, 20% transient invocation failures, 2% worker crashes and 1% poison,
 * on this tree and on the baseline revision (a git worktree) in one run, with the same assembly and
 * load: lost events, duplicate effects and dead-lettered messages per consumer, RSS over time, and
 * one before/after table (Node process and DynamoDB Local JVM apart).
 */
import { resolve } from 'node:path';
import Table from 'cli-table3';
import { Command } from 'commander';
import { referenceAssembly, secs } from './local-assembly.ts';
import {
  baselineTree,
  comparisonTable,
  DEFAULT_BASELINE,
  loadAverage,
  mbOf,
  measureIn,
  type Comparison,
} from './local-baseline.ts';
import type { SoakMeasurement } from './local-soak-measure.ts';

const opts = new Command('soak')
  .option('--events <n>', 'order events', (v) => Number(v), 100_000)
  .option('--duplicates <rate>', 'share of events published twice', Number, 0.1)
  .option('--failures <rate>', 'share of invocations failed transiently', Number, 0.2)
  .option('--crashes <rate>', 'share of invocations whose worker crashes', Number, 0.02)
  .option('--poison <rate>', 'share of events that are poison', Number, 0.01)
  .option('--time-scale <n>', 'queue timers / alarm clock scale', Number, 60)
  .option('--baseline <rev>', 'git revision to measure the same way in the same run', DEFAULT_BASELINE)
  .parse()
  .opts<{
    events: number;
    duplicates: number;
    failures: number;
    crashes: number;
    poison: number;
    timeScale: number;
    baseline: string;
  }>();

const load = { before: loadAverage(), after: [] as number[] };
const { assemblyDir, stackName } = referenceAssembly();
const args = [
  ...['--assembly', resolve(assemblyDir), '--stack', stackName],
  ...['--events', String(opts.events), '--duplicates', String(opts.duplicates)],
  ...['--failures', String(opts.failures), '--crashes', String(opts.crashes)],
  ...['--poison', String(opts.poison), '--time-scale', String(opts.timeScale)],
];
const baseline = baselineTree(opts.baseline);
const label = baseline.commit.slice(0, 12);
console.log(`soaking the baseline ${label} in ${baseline.dir}, then this tree…`);
const before = await measureIn<SoakMeasurement>(baseline.dir, 'local-soak-measure.ts', args);
const now = await measureIn<SoakMeasurement>(resolve('.'), 'local-soak-measure.ts', args);
load.after = loadAverage();

function consumerTable(m: SoakMeasurement): string {
  const table = new Table({
    head: [
      'consumer (delivery)',
      `effects (of ${m.uniqueGood})`,
      'lost: no effect, not in DLQ (goal 0)',
      'duplicate effects (goal 0)',
      `dead-lettered (poison = ${m.poison})`,
    ],
  });
  for (const c of m.consumers)
    table.push([
      c.consumer,
      c.effects,
      c.lost,
      c.duplicates ?? 'n/a (idempotent upsert)',
      `${c.deadLettered}: ${c.deadPoison} poison + ${c.deadLettered - c.deadPoison} retries exhausted`,
    ]);
  return table.toString();
}

function memoryTable(m: SoakMeasurement): string {
  const table = new Table({ head: ['t', 'Node RSS', 'JVM RSS', 'record outcomes so far'] });
  const step = Math.max(1, Math.ceil(m.samples.length / 10));
  const shown = m.samples.filter((_, i) => i % step === 0 || i === m.samples.length - 1);
  for (const s of shown) table.push([secs(s.at), mbOf(s.node), mbOf(s.jvm), s.outcomes]);
  return table.toString();
}

for (const [name, m] of [
  [`baseline ${label}`, before],
  ['now', now],
] as const) {
  console.log(`\n${name}: ${m.events} events / ${m.published} published incl. duplicates / ${m.poison} poison`);
  console.log(consumerTable(m));
  console.log(memoryTable(m));
}

const count = (n: number) => String(n);
const perSecond = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;
const row = (
  metric: string,
  pick: (m: SoakMeasurement) => number,
  format: (n: number) => string,
  goal?: Comparison['goal'],
): Comparison => ({ metric, baseline: pick(before), now: pick(now), format, ...(goal ? { goal } : {}) });
const sum = (m: SoakMeasurement, pick: (c: SoakMeasurement['consumers'][number]) => number) =>
  m.consumers.reduce((n, c) => n + pick(c), 0);
console.log(
  comparisonTable(
    label,
    [
      row('Node RSS peak', (m) => m.nodePeak, mbOf, { atMost: 1024 * 1024 * 1024 }),
      row('Node RSS when drained', (m) => m.nodeDrained, mbOf),
      row('DynamoDB Local JVM RSS peak', (m) => m.jvmPeak, mbOf),
      row('execution environments (worker threads) alive, peak', (m) => m.environmentsPeak, count),
      row('publish time', (m) => m.publishMs, secs),
      row('total until drained', (m) => m.totalMs, secs),
      row('record outcomes per second (publish → drained)', (m) => m.outcomes / (m.totalMs / 1000), perSecond),
      row('invocations', (m) => m.invocations, count),
      row('refused (throttled, injected) + failed invocations', (m) => m.throttles + m.errors, count),
      row('crashed workers', (m) => m.crashes, count),
      row('lost events, all consumers', (m) => sum(m, (c) => c.lost), count, { atMost: 0 }),
      row('duplicate effects, exactly-once consumers', (m) => sum(m, (c) => c.duplicates ?? 0), count, { atMost: 0 }),
      row('drained (1 = yes)', (m) => (m.drained ? 1 : 0), count, { atLeast: 1 }),
    ],
    load,
  ),
);
process.exit(0);
