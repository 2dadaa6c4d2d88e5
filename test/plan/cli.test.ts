import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { fanout, synthAssembly } from './support/plan-inputs.ts';

/** `fanout plan` end to end on a synthesized fixture stack (prod), as a user runs it. */
let assemblyDir: string;
beforeAll(() => {
  assemblyDir = synthAssembly(fixtureTopology, 'prod').assemblyDir;
});

describe('fanout plan (CLI)', () => {
  it('prints the plan for people: per topic and endpoint, totals, the price date, limits and the first one hit', () => {
    const r = fanout(['plan', '--rate', '1000', '--stage', 'prod', '--region', 'eu-west-1', '--assembly', assemblyDir]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('fanout plan: stack fanout-prod in eu-west-1 at 1,000 msg/s published');
    expect(r.stdout).toContain('prices as of 2025-06-01 from https://aws.amazon.com/sns/pricing/');
    expect(r.stdout).toContain('check before relying on them');
    expect(r.stdout).toMatch(/measured request counts: \d{4}-\d\d-\d\d, commit \w+/);
    expect(r.stdout).toContain('even mix assumed');
    for (const path of ['orders/inventory', 'orders/analytics', 'payments/ledger', 'jobs'])
      expect(r.stdout).toContain(`endpoint ${path}:`);
    expect(r.stdout).toContain(
      "First limit as the rate grows: Event source concurrency (MaximumConcurrency) (jobs) at 1,500 msg/s.\n  Fix: raise consumer.maxConcurrency of 'jobs'.",
    );
    expect(r.stdout).toContain('$ per month by rate (log scale):');
  });

  it('--json: the same plan for machines', () => {
    const r = fanout([
      'plan',
      '--rate',
      '100',
      '--stage',
      'prod',
      '--region',
      'us-east-1',
      '--assembly',
      assemblyDir,
      '--json',
    ]);
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      stack: string;
      rate: number;
      perMillionMessages: number;
      monthly: number;
      endpoints: { path: string; lines: { source: string }[] }[];
      firstLimit: { rate: number; scope: string };
      chart: { rate: number; monthly: number }[];
    };
    expect(plan.stack).toBe('fanout-prod');
    expect(plan.rate).toBe(100);
    expect(plan.endpoints.map((e) => e.path)).toEqual([
      'orders/inventory',
      'orders/email',
      'orders/warehouse',
      'orders/analytics',
      'payments/ledger',
      'payments/audit',
      'jobs',
    ]);
    const sources = new Set(plan.endpoints.flatMap((e) => e.lines.map((l) => l.source)));
    expect([...sources].sort()).toEqual(['measured', 'modelled']);
    expect(plan.firstLimit.scope).toBe('jobs');
    expect(plan.firstLimit.rate).toBeCloseTo(1500, 3);
    expect(plan.chart.map((p) => p.rate)).toEqual([1, 10, 100, 1000, 10_000, 100_000]);
    expect(plan.monthly).toBeGreaterThan(plan.chart[1]!.monthly);
  });
});

describe('fanout plan: bad input is one line, exit code 1', () => {
  const oneLine = (args: string[], expected: string) => {
    const r = fanout(['plan', '--stage', 'prod', '--assembly', assemblyDir, ...args]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expected]);
  };

  it('a negative rate', () =>
    oneLine(
      ['--rate=-5'],
      "PlanInputError: --rate '-5' is not a rate: messages per second above 0. Fix: pass e.g. --rate 1000.",
    ));

  it('an unknown region', () =>
    oneLine(
      ['--rate', '10', '--region', 'mars-north-1'],
      "PlanInputError: --region 'mars-north-1' has no price list: known regions are us-east-1, us-west-2, eu-west-1, eu-central-1, ap-southeast-2. Fix: pass one of them, or add the region to client/plan/prices.ts.",
    ));

  it('a missing assembly', () => {
    const r = fanout(['plan', '--rate', '10', '--region', 'us-east-1', '--assembly', '/nonexistent/cdk.out']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      "PlanInputError: No cloud assembly at '/nonexistent/cdk.out' (manifest.json missing): run 'npx cdk synth' first or pass the directory that holds manifest.json (--assembly) (for --stage dev: `npx cdk synth -q -c stage=dev -o cdk.out.dev`, then --assembly cdk.out.dev).",
    ]);
  });

  it('a stage not synthesized', () =>
    oneLine(
      ['--rate', '10', '--region', 'us-east-1', '--stack', 'fanout-test'],
      "PlanInputError: Stack 'fanout-test' is not in the cloud assembly; stacks found: fanout-prod. Pass one of them (--stack) (for --stage test: `npx cdk synth -q -c stage=test -o cdk.out.test`, then --assembly cdk.out.test).",
    ));

  it('a --mix fraction out of range', () =>
    oneLine(
      ['--rate', '10', '--region', 'us-east-1', '--mix', 'CartPlaced=1.5'],
      "PlanInputError: --mix '1.5' is not a fraction from 0 to 1. Fix: pass e.g. --mix CartPlaced=0.5.",
    ));
});
