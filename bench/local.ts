/**
 * `npm run bench:local [-- --baseline <git-rev>] [--orders N]`: start-to-first-message, whole
 * `npm start --once`, fan-out deliveries per second and RSS of the embedded local cloud (the Node
 * process and its DynamoDB Local JVM apart), measured in one run on this tree and on the baseline
 * revision (a git worktree), with the same assemblies and load, printed as one table with the goals.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { resolve } from 'node:path';
import {
  baselineTree,
  comparisonTable,
  DEFAULT_BASELINE,
  loadAverage,
  mbOf,
  measureIn,
  type Comparison,
} from './local-baseline.ts';
import { referenceAssembly } from './local-assembly.ts';
import type { LocalMeasurement } from './local-measure.ts';
import { synthNoopFanout } from './local-noop-stack.ts';

const opts = new Command('bench:local')
  .option('--orders <n>', 'placed orders in the fan-out (each reaches 4 subscribers)', Number, 2_000)
  .option('--baseline <rev>', 'git revision to measure the same way in the same run', DEFAULT_BASELINE)
  .parse()
  .opts<{ orders: number; baseline: string }>();
const ORDERS = opts.orders;
const CORES = availableParallelism();
const SUBSCRIBERS_PER_PLACED_ORDER = 4;
const baselineRev = opts.baseline;

function wholeStartOnce(tree: string): number | undefined {
  const started = performance.now();
  const result = spawnSync('npx', ['tsx', 'bin/start.ts', '--once', '--port', '0'], {
    cwd: tree,
    stdio: 'ignore',
    env: process.env,
  });
  return result.status === 0 ? performance.now() - started : undefined;
}

const load = { before: loadAverage(), after: [] as number[] };
const reference = referenceAssembly();
const noop = synthNoopFanout(SUBSCRIBERS_PER_PLACED_ORDER);
const args = [
  ...['--assembly', resolve(reference.assemblyDir), '--stack', reference.stackName],
  ...['--noop-assembly', resolve(noop.assemblyDir), '--noop-stack', noop.stackName],
  ...['--orders', String(ORDERS)],
];
const baseline = baselineTree(baselineRev);
const here = resolve('.');
console.log(`measuring the baseline ${baseline.commit.slice(0, 12)} in ${baseline.dir}, then this tree…`);
const before = await measureIn<LocalMeasurement>(baseline.dir, 'local-measure.ts', args);
const now = await measureIn<LocalMeasurement>(here, 'local-measure.ts', args);
const onceBefore = wholeStartOnce(baseline.dir);
const onceNow = wholeStartOnce(here);
load.after = loadAverage();

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const perSecond = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;
const cpu = (ms: number) => `${ms.toFixed(2)} ms`;
const count = (n: number) => String(n);
const row = (
  metric: string,
  pick: (m: LocalMeasurement) => number,
  format: (n: number) => string,
  goal?: Comparison['goal'],
): Comparison => ({ metric, baseline: pick(before), now: pick(now), format, ...(goal ? { goal } : {}) });
const rows: Comparison[] = [
  row('deploy (emulators incl. the JVM + resources)', (m) => m.upMs, secs),
  row('start → first message processed (no synth)', (m) => m.firstMessageMs, secs, { atMost: 3_000 }),
  {
    metric: 'whole npm start --once (synth if stale)',
    baseline: onceBefore,
    now: onceNow,
    format: secs,
    goal: { atMost: 15_000 },
  },
  row('Node RSS after first message (idle)', (m) => m.nodeIdle, mbOf, { atMost: 300 * 1024 * 1024 }),
  row('Node RSS peak during the fan-out', (m) => m.nodePeak, mbOf),
  row('DynamoDB Local JVM RSS after first message', (m) => m.jvmIdle, mbOf),
  row('DynamoDB Local JVM RSS peak', (m) => m.jvmPeak, mbOf),
  row('execution environments (worker threads) alive, peak', (m) => m.environmentsPeak, count),
  row(
    `deliveries/s, reference consumers (${ORDERS} orders × ${SUBSCRIBERS_PER_PLACED_ORDER})`,
    (m) => m.deliveriesPerSecond,
    perSecond,
    { timesBaseline: 2, higherIsBetter: true },
  ),
  row('  Node CPU per delivery (main thread + workers)', (m) => m.nodeCpuMsPerDelivery, cpu),
  row('  JVM CPU per delivery', (m) => m.jvmCpuMsPerDelivery, cpu),
  // The fan-out is CPU-bound: at best every core runs Node or the JVM all the time.
  row(
    `  ceiling: ${CORES} cores ÷ CPU per delivery`,
    (m) => (CORES * 1000) / (m.nodeCpuMsPerDelivery + m.jvmCpuMsPerDelivery),
    perSecond,
  ),
  row('deliveries/s, no-op functions (the local cloud’s own cost)', (m) => m.noopDeliveriesPerSecond, perSecond, {
    atLeast: 2_000,
  }),
  row('  Node CPU per no-op delivery', (m) => m.noopCpuMsPerDelivery, cpu),
];
console.log(comparisonTable(baseline.commit.slice(0, 12), rows, load));
if (reference.synthMs) console.log(`(synth of the reference assembly for this bench: ${secs(reference.synthMs)})`);
