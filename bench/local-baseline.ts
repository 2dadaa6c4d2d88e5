/**
 * Before/after in one run for the local-cloud benches: the same measuring script runs as a child
 * process in this tree and in a git worktree of the baseline revision (its `local/`, the same
 * assembly, the same load, the same machine), and one table compares them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';

/** The commit before the lighter local cloud (issue #12): the default baseline. */
export const DEFAULT_BASELINE = '48af4b22730943ecd96f7a982c290530ccb1cada';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function git(args: string[], cwd = ROOT): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/** A worktree of `rev` under the temp dir (reused across runs), sharing this tree's node_modules. */
export function baselineTree(rev: string): { dir: string; commit: string } {
  const commit = git(['rev-parse', '--verify', `${rev}^{commit}`]);
  const dir = join(tmpdir(), `fanout-baseline-${commit.slice(0, 12)}`);
  if (!existsSync(join(dir, '.git'))) git(['worktree', 'add', '--detach', '--force', dir, commit]);
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return { dir, commit };
}

/**
 * Runs this tree's `bench/<script>` inside `tree` (copied there when `tree` is the baseline, so it
 * imports that tree's local cloud) and returns the JSON it writes to `--out`.
 */
export async function measureIn<T>(tree: string, script: string, args: readonly string[]): Promise<T> {
  const file = join(tree, 'bench', script);
  if (resolve(tree) !== ROOT) copyFileSync(join(ROOT, 'bench', script), file);
  const out = join(mkdtempSync(join(tmpdir(), 'fanout-measure-')), 'result.json');
  const env = { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` };
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [file, ...args, '--out', out], {
    cwd: tree,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`${script} in ${tree} exited with ${code}`);
  return JSON.parse(readFileSync(out, 'utf8')) as T;
}

export interface Comparison {
  readonly metric: string;
  readonly baseline: number | undefined;
  readonly now: number | undefined;
  readonly format: (value: number) => string;
  /** `≤ n` / `≥ n` on `now`, or `≥ k× baseline`. @default - no goal */
  readonly goal?:
    | { readonly atMost: number }
    | { readonly atLeast: number }
    | { readonly timesBaseline: number; readonly higherIsBetter: true };
}

function goalText(c: Comparison): string {
  const goal = c.goal;
  if (!goal) return '—';
  if ('atMost' in goal) return `≤ ${c.format(goal.atMost)}`;
  if ('atLeast' in goal) return `≥ ${c.format(goal.atLeast)}`;
  return `≥ ${goal.timesBaseline}× baseline`;
}

function met(c: Comparison): string {
  const { goal, now, baseline } = c;
  if (!goal || now === undefined) return '—';
  if ('atMost' in goal) return now <= goal.atMost ? 'yes' : 'no';
  if ('atLeast' in goal) return now >= goal.atLeast ? 'yes' : 'no';
  if (baseline === undefined) return '—';
  return now >= goal.timesBaseline * baseline ? 'yes' : 'no';
}

/** One table: metric | baseline | now | ratio | goal | met, with the load average of the machine. */
export function comparisonTable(
  baselineLabel: string,
  rows: readonly Comparison[],
  load: { readonly before: number[]; readonly after: number[] },
): string {
  const table = new Table({ head: ['metric', `baseline (${baselineLabel})`, 'now', 'ratio', 'goal', 'met'] });
  const show = (c: Comparison, v: number | undefined) => (v === undefined ? 'n/a' : c.format(v));
  for (const c of rows) {
    const ratio = c.baseline && c.now !== undefined ? `${(c.now / c.baseline).toFixed(2)}×` : '—';
    table.push([c.metric, show(c, c.baseline), show(c, c.now), ratio, goalText(c), met(c)]);
  }
  const avg = (l: number[]) => l.map((n) => n.toFixed(2)).join(' / ');
  return `${table.toString()}\nload average (1 / 5 / 15 min) before: ${avg(load.before)}, after: ${avg(load.after)}`;
}

export const loadAverage = (): number[] => loadavg();

export const mbOf = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
