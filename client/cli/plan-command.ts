import { resolveTopology, type Topology } from '../../topology/index.ts';
import { stackName } from '../../topology/internal.ts';
import { PlanInputError } from '../plan/errors.ts';
import { loadMeasuredRequests } from '../plan/measured.ts';
import { firstLimit, planAt, type PlanInput } from '../plan/plan.ts';
import { regionPrices } from '../plan/prices.ts';
import { planJson, renderChart, renderPlanTable, type RenderContext } from '../plan/render.ts';
import { readTemplateFacts } from '../plan/template.ts';

export interface PlanFlags {
  readonly stage: string;
  readonly region?: string;
  readonly rate: string;
  readonly payloadBytes: string;
  readonly invocationMs: string;
  readonly hotShare: string;
  readonly kmsUsed: string;
  readonly mix?: string;
  readonly share?: string;
  readonly assembly: string;
  readonly stack?: string;
  readonly json?: boolean;
}

/** Rates of the cost chart: decades around the planned rate. */
const CHART_RATES = [1, 10, 100, 1_000, 10_000, 100_000];

function number(flag: string, value: string, rule: (x: number) => boolean, expected: string, example: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || !rule(x))
    throw new PlanInputError(`${flag} '${value}' is not ${expected}. Fix: pass e.g. ${flag} ${example}.`);
  return x;
}

/** `A=0.6,B=0.2` → { A: 0.6, B: 0.2 }. */
export function parseFractions(flag: string, value: string | undefined): Record<string, number> | undefined {
  if (value === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const part of value.split(',').filter(Boolean)) {
    const [name, fraction] = part.split('=');
    if (!name || fraction === undefined)
      throw new PlanInputError(
        `${flag} '${value}': '${part}' is not name=fraction. Fix: pass e.g. ${flag} name=0.5,other=0.2.`,
      );
    out[name.trim()] = number(flag, fraction, (x) => x >= 0 && x <= 1, 'a fraction from 0 to 1', `${name}=0.5`);
  }
  return out;
}

/** Reads the flags into a plan input (everything checked, each problem one line). */
export function planInput(topology: Topology, flags: PlanFlags): { input: PlanInput; rate: number } {
  const rate = number('--rate', flags.rate, (x) => x > 0, 'a rate: messages per second above 0', '1000');
  const region = flags.region ?? process.env.AWS_REGION ?? 'us-east-1';
  regionPrices(region);
  const resolved = resolveTopology(topology, flags.stage);
  const facts = readTemplateFacts(flags.assembly, flags.stack ?? stackName(topology.name, flags.stage));
  const mix = parseFractions('--mix', flags.mix);
  const shares = parseFractions('--share', flags.share);
  const input: PlanInput = {
    topology: resolved,
    facts,
    measured: loadMeasuredRequests(),
    region,
    split: { ...(mix ? { mix } : {}), ...(shares ? { shares } : {}) },
    assumptions: {
      payloadBytes: number(
        '--payload-bytes',
        flags.payloadBytes,
        (x) => Number.isInteger(x) && x >= 1,
        'a whole number of bytes ≥ 1',
        '2048',
      ),
      invocationMs: number(
        '--invocation-ms',
        flags.invocationMs,
        (x) => x > 0,
        'a duration in milliseconds above 0',
        '120',
      ),
      hotShare: number('--hot-share', flags.hotShare, (x) => x >= 0 && x <= 1, 'a fraction from 0 to 1', '0.1'),
      kmsUsedPerSecond: number(
        '--kms-used',
        flags.kmsUsed,
        (x) => x >= 0,
        'a rate ≥ 0 of KMS requests per second',
        '0',
      ),
    },
  };
  return { input, rate };
}

/** `fanout plan --rate <msg/s>`: cost and AWS limits of the synthesized stack at that rate. */
export async function planCommand(topology: Topology, flags: PlanFlags): Promise<void> {
  const { input, rate } = planInput(topology, flags);
  const plan = planAt(input, rate);
  const prices = regionPrices(input.region);
  const ctx: RenderContext = {
    stackName: input.facts.stackName,
    region: input.region,
    prices,
    measured: input.measured,
    assumptions: input.assumptions,
    first: firstLimit(input),
  };
  const chart = [...new Set([...CHART_RATES, rate])]
    .sort((a, b) => a - b)
    .map((r) => ({ rate: r, monthly: planAt(input, r, prices).monthly }));
  if (flags.json) console.log(JSON.stringify(planJson(plan, ctx, chart), null, 2));
  else console.log(`${renderPlanTable(plan, ctx)}\n\n${renderChart(chart)}`);
}
