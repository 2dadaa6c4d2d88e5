import Table from 'cli-table3';
import { lineCost } from './cost.ts';
import { LIMIT_SOURCES } from './limits.ts';
import type { FirstLimit, PlanAtRate } from './plan.ts';
import { ratio } from './plan.ts';
import { priceNotice, type RegionPrices } from './prices.ts';
import type { RequestLine } from './requests.ts';
import type { MeasuredRequests } from './measured.ts';
import { SECONDS_PER_MONTH } from './limits.ts';
import type { ModelAssumptions } from './endpoint-model.ts';

export interface RenderContext {
  readonly stackName: string;
  readonly region: string;
  readonly prices: RegionPrices;
  readonly measured: MeasuredRequests | undefined;
  readonly assumptions: ModelAssumptions;
  readonly first: FirstLimit | undefined;
}

/** A number for people: 3 significant digits, thousands separated. */
export function num(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return '∞';
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString('en-US');
  if (abs >= 1) return Number(x.toPrecision(3)).toLocaleString('en-US');
  return Number(x.toPrecision(2)).toString();
}
export const usd = (x: number) =>
  x >= 100 ? `$${Math.round(x).toLocaleString('en-US')}` : `$${x < 0.01 && x > 0 ? x.toPrecision(2) : x.toFixed(2)}`;

/** Lines of one owner: per message of the stack's rate, per second, USD per month, measured or modelled. */
function linesTable(owner: string, ownerRate: number, lines: readonly RequestLine[], p: RegionPrices): string {
  const t = new Table({
    head: [owner, 'per message', 'per second', '$ / month', 'figure'],
    colAligns: ['left', 'right', 'right', 'right', 'left'],
    style: { head: [], border: [], compact: true },
  });
  for (const l of lines) {
    if (l.perSecond === 0) continue;
    const storage = l.billing === 's3StorageGb';
    t.push([
      `${l.service} ${l.api}`,
      storage || ownerRate === 0 ? '-' : num(l.perSecond / ownerRate),
      num(l.perSecond),
      usd(lineCost(l, p) * SECONDS_PER_MONTH),
      l.source,
    ]);
  }
  return t.toString();
}

export function renderPlanTable(plan: PlanAtRate, ctx: RenderContext): string {
  const out: string[] = [];
  const a = ctx.assumptions;
  out.push(`fanout plan: stack ${ctx.stackName} in ${ctx.region} at ${num(plan.rate)} msg/s published`);
  out.push(
    `  ${priceNotice()}`,
    `  measured request counts: ${ctx.measured ? `${ctx.measured.measuredAt.slice(0, 10)}, commit ${ctx.measured.commit} (\`${ctx.measured.command}\`)` : 'none (client/plan/measured-requests.json missing): every figure is modelled'}`,
    `  assumptions: payload ${num(a.payloadBytes)} bytes; ${num(a.invocationMs)} ms per invocation; hottest FIFO group / key takes ${Math.round(a.hotShare * 100)}% of its destination (--hot-share)${plan.evenShares ? '; rate split evenly over destinations (--share)' : ''}`,
  );
  for (const d of plan.destinations) {
    const mix = d.traffic.events.map((e) => `${e.eventType} ${num(e.rate)}/s`).join(', ');
    out.push(
      '',
      `${d.traffic.kind} ${d.traffic.name}${d.traffic.fifo ? ' (FIFO)' : ''}: ${num(d.traffic.rate)} msg/s (${mix}${d.traffic.evenMix && d.traffic.events.length > 1 ? '; even mix assumed, --mix to change' : ''})`,
    );
    out.push(linesTable('publisher', d.traffic.rate, d.lines, ctx.prices));
    for (const e of plan.endpoints.filter((x) => x.model.traffic.destination === d.traffic)) {
      const m = e.model;
      out.push(
        `  endpoint ${m.traffic.endpoint.path}: ${num(m.traffic.rate)} msg/s, ${num(m.recordsPerInvocation)} records per invocation, ${num(m.concurrency)} concurrent, KMS data key reuse ${m.queue.dataKeyReuseSeconds} s${m.queue.dataKeyReuseSet ? '' : ' (default)'}`,
      );
      out.push(linesTable(m.traffic.endpoint.path, m.traffic.rate, e.lines, ctx.prices));
    }
  }
  const fixedMonthly = plan.fixed.reduce((s, f) => s + f.monthly, 0);
  const totals = new Table({ head: ['total', 'value'], colAligns: ['left', 'right'], style: { head: [], border: [] } });
  totals.push(
    ['$ per million messages published (traffic-driven)', usd(plan.perMillionMessages)],
    ['$ per month, traffic-driven', usd(plan.variablePerSecond * SECONDS_PER_MONTH)],
    ...plan.fixed.map((f) => [`$ per month, ${f.item} ×${f.count}`, usd(f.monthly)]),
    ['$ per month, total', usd(plan.monthly)],
  );
  out.push('', totals.toString(), `  fixed monthly costs: ${usd(fixedMonthly)} (not in the per-million figure)`);
  const limits = new Table({
    head: ['limit', 'scope', 'used', 'limit', 'headroom', 'source'],
    colAligns: ['left', 'left', 'right', 'right', 'right', 'left'],
    style: { head: [], border: [], compact: true },
    wordWrap: true,
    colWidths: [52, 28, null, null, null, null] as unknown as number[],
  });
  for (const c of [...plan.checks].sort((x, y) => ratio(y) - ratio(x)).slice(0, 12)) {
    const r = ratio(c);
    limits.push([
      c.limit,
      c.scope,
      `${num(c.used)} ${c.unit}`,
      num(c.max),
      r >= 1 ? 'EXCEEDED' : `${num(1 / Math.max(r, 1e-12))}×`,
      c.source.modelled ? 'modelled' : 'documented',
    ]);
  }
  out.push(
    '',
    'Limits, tightest first (headroom: how many times the rate can grow before the limit):',
    limits.toString(),
  );
  if (ctx.first) {
    out.push(
      `First limit as the rate grows: ${ctx.first.check.limit} (${ctx.first.check.scope}) at ${num(ctx.first.rate)} msg/s.`,
      `  Fix: ${ctx.first.check.fix}.`,
    );
  } else out.push('No limit is reached below 10⁹ msg/s.');
  out.push(
    '',
    'measured: client-side calls counted on the local cloud (npm run bench:requests); modelled: SNS deliveries, the event source (polling, empty receives, deletes), Lambda invocations and duration, KMS (SQS: (2 × producers + receiving pollers) per data key reuse period), from the AWS docs.',
    `Not included: CloudWatch Logs ingestion, X-Ray traces, data transfer, SNS FIFO archive storage and replay, DLQ traffic (failures), free tiers. Limits: ${LIMIT_SOURCES.esmScaling.doc} and the others in client/plan/limits.ts.`,
  );
  return out.join('\n');
}

/** Cost per month against rate on a log scale, one row per rate. */
export function renderChart(points: readonly { rate: number; monthly: number }[], width = 50): string {
  const max = Math.max(...points.map((p) => p.monthly));
  const rows = points.map((p) => {
    const bar = '█'.repeat(Math.max(1, Math.round((Math.log10(1 + p.monthly) / Math.log10(1 + max)) * width)));
    return `${num(p.rate).padStart(9)} msg/s │${bar} ${usd(p.monthly)}`;
  });
  return ['$ per month by rate (log scale):', ...rows].join('\n');
}

/** The plan for machines. */
export function planJson(plan: PlanAtRate, ctx: RenderContext, chart: readonly { rate: number; monthly: number }[]) {
  const line = (l: RequestLine, ownerRate: number) => ({
    service: l.service,
    api: l.api,
    perMessage: ownerRate ? l.perSecond / ownerRate : 0,
    perSecond: l.perSecond,
    usdPerMonth: lineCost(l, ctx.prices) * SECONDS_PER_MONTH,
    source: l.source,
    ...(l.table ? { table: l.table } : {}),
  });
  return {
    stack: ctx.stackName,
    region: ctx.region,
    rate: plan.rate,
    prices: { notice: priceNotice() },
    measured: ctx.measured
      ? { measuredAt: ctx.measured.measuredAt, commit: ctx.measured.commit, command: ctx.measured.command }
      : null,
    assumptions: { ...ctx.assumptions, evenShares: plan.evenShares },
    destinations: plan.destinations.map((d) => ({
      name: d.traffic.name,
      kind: d.traffic.kind,
      fifo: d.traffic.fifo,
      rate: d.traffic.rate,
      events: d.traffic.events,
      evenMix: d.traffic.evenMix,
      lines: d.lines.map((l) => line(l, d.traffic.rate)),
    })),
    endpoints: plan.endpoints.map((e) => ({
      path: e.model.traffic.endpoint.path,
      rate: e.model.traffic.rate,
      recordsPerInvocation: e.model.recordsPerInvocation,
      invocationsPerSecond: e.model.invocationsPerSecond,
      concurrency: e.model.concurrency,
      kmsDataKeyReuseSeconds: e.model.queue.dataKeyReuseSeconds,
      lines: e.lines.map((l) => line(l, e.model.traffic.rate)),
    })),
    perMillionMessages: plan.perMillionMessages,
    variableMonthly: plan.variablePerSecond * SECONDS_PER_MONTH,
    fixed: plan.fixed,
    monthly: plan.monthly,
    limits: plan.checks.map((c) => ({ ...c, ratio: ratio(c) })),
    firstLimit: ctx.first
      ? { rate: ctx.first.rate, limit: ctx.first.check.limit, scope: ctx.first.check.scope, fix: ctx.first.check.fix }
      : null,
    chart,
  };
}
