import type { ResolvedTopology } from '../../topology/index.ts';
import { fixedCosts, type FixedCost, lineCost } from './cost.ts';
import { endpointModel, type EndpointModel, type ModelAssumptions } from './endpoint-model.ts';
import { type LimitCheck, limitChecks } from './headroom.ts';
import { regionLimits, SECONDS_PER_MONTH } from './limits.ts';
import type { MeasuredRequests } from './measured.ts';
import { type RegionPrices, regionPrices } from './prices.ts';
import { destinationLines, endpointLines, type RequestLine } from './requests.ts';
import type { TemplateFacts } from './template.ts';
import { type DestinationTraffic, splitTraffic, type TrafficOptions } from './traffic.ts';

export interface PlanInput {
  readonly topology: ResolvedTopology;
  readonly facts: TemplateFacts;
  readonly measured: MeasuredRequests | undefined;
  readonly region: string;
  readonly split: Omit<TrafficOptions, 'rate'>;
  readonly assumptions: ModelAssumptions;
}

export interface PlanAtRate {
  readonly rate: number;
  readonly destinations: readonly { readonly traffic: DestinationTraffic; readonly lines: readonly RequestLine[] }[];
  readonly endpoints: readonly { readonly model: EndpointModel; readonly lines: readonly RequestLine[] }[];
  readonly checks: readonly LimitCheck[];
  /** USD per second of the traffic-driven lines. */
  readonly variablePerSecond: number;
  readonly perMillionMessages: number;
  readonly fixed: readonly FixedCost[];
  readonly monthly: number;
  /** Traffic was split evenly over destinations / over a destination's event types (not given). */
  readonly evenShares: boolean;
}

/** The plan at one rate: requests, cost and every limit's use. */
export function planAt(input: PlanInput, rate: number, prices: RegionPrices = regionPrices(input.region)): PlanAtRate {
  const limits = regionLimits(input.region);
  const traffic = splitTraffic(input.topology, { ...input.split, rate });
  const a = input.assumptions;
  const destinations = traffic.destinations.map((d) => ({
    traffic: d,
    lines: destinationLines(d, input.facts, input.topology, input.measured, a),
  }));
  const endpoints = traffic.endpoints.map((t) => {
    const model = endpointModel(t, input.facts, limits, a);
    return { model, lines: endpointLines(model, input.measured, a) };
  });
  const checks = limitChecks({
    topology: input.topology,
    facts: input.facts,
    limits,
    assumptions: a,
    destinations,
    endpoints,
  });
  const all = [...destinations.flatMap((d) => d.lines), ...endpoints.flatMap((e) => e.lines)];
  const variablePerSecond = all.reduce((s, l) => s + lineCost(l, prices), 0);
  const fixed = fixedCosts(input.facts, prices);
  const fixedMonthly = fixed.reduce((s, f) => s + f.monthly, 0);
  return {
    rate,
    destinations,
    endpoints,
    checks,
    variablePerSecond,
    perMillionMessages: (variablePerSecond / rate) * 1e6,
    fixed,
    monthly: variablePerSecond * SECONDS_PER_MONTH + fixedMonthly,
    evenShares: traffic.evenShares,
  };
}

export const ratio = (c: LimitCheck) => (c.max > 0 ? c.used / c.max : Number.POSITIVE_INFINITY);

/** The limit closest to being hit at this rate. */
export const tightest = (plan: PlanAtRate) => [...plan.checks].sort((a, b) => ratio(b) - ratio(a))[0];

export interface FirstLimit {
  /** Lowest rate (messages/s, all destinations together) at which the limit is reached. */
  readonly rate: number;
  readonly check: LimitCheck;
}

const exceeded = (plan: PlanAtRate) => plan.checks.filter((c) => ratio(c) >= 1);
const MAX_RATE = 1e9;

/** As the rate grows (same split): the first limit reached and the rate at which it is, or undefined below 10⁹ msg/s. */
export function firstLimit(input: PlanInput): FirstLimit | undefined {
  const prices = regionPrices(input.region);
  const at = (rate: number) => planAt(input, rate, prices);
  const over = (rate: number) => exceeded(at(rate));
  const tightest = (checks: LimitCheck[]) => checks.sort((a, b) => ratio(b) - ratio(a))[0]!;
  let lo = 1e-3;
  const atLowest = over(lo);
  if (atLowest.length) return { rate: lo, check: tightest(atLowest) };
  let hi = 1;
  let atHi = over(hi);
  while (hi < MAX_RATE && atHi.length === 0) {
    lo = hi;
    hi *= 2;
    atHi = over(hi);
  }
  if (atHi.length === 0) return undefined;
  for (let n = 0; n < 60 && hi - lo > hi * 1e-9; n++) {
    const mid = (lo + hi) / 2;
    const atMid = over(mid);
    if (atMid.length) {
      hi = mid;
      atHi = atMid;
    } else lo = mid;
  }
  return { rate: hi, check: tightest(atHi) };
}
