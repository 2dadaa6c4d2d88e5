import { OUTPUT_KEYS } from '../../topology/index.ts';
import type { LocalCloud } from '../cloud.ts';
import { checkBalances, checkJobs, type BalanceCheck, type JobCheck } from './checks.ts';
import type { OutcomeCounter } from './outcome-counter.ts';
import { publishWave, waveSize, type DemoTargets } from './publish.ts';
import { waitUntilDrained } from './settle.ts';
import { buildDemoTraffic, type DemoSize, type DemoTraffic } from './traffic.ts';

interface ManifestEndpoint {
  readonly name: string;
  readonly delivery: string;
}

export interface ConsumerRow {
  readonly consumer: string;
  readonly delivery: string;
  readonly processed: number;
  readonly duplicatesSkipped: number;
  readonly failedAttempts: number;
  readonly dropped: number;
  readonly deadLettered: number;
}

export interface DemoResult {
  readonly ok: boolean;
  readonly traffic: DemoTraffic;
  readonly published: number;
  readonly drained: boolean;
  readonly consumers: readonly ConsumerRow[];
  readonly balances: readonly BalanceCheck[];
  readonly jobs: JobCheck;
  readonly alarmsFired: readonly string[];
  readonly publishMs: number;
  readonly settleMs: number;
}

export interface RunDemoOptions {
  readonly size?: DemoSize;
  readonly drainTimeoutMs?: number;
  onPublished?(sent: number, total: number): void;
  onBacklog?(backlog: number): void;
}

/** True when the stack has the reference topology's outputs the demo needs. */
export function isReferenceStack(cloud: LocalCloud): boolean {
  return [
    OUTPUT_KEYS.manifest,
    OUTPUT_KEYS.topicArn('orders'),
    OUTPUT_KEYS.topicArn('payments'),
    OUTPUT_KEYS.queueUrl('jobs'),
    OUTPUT_KEYS.tableName('ledger'),
  ].every((key) => key in cloud.outputs);
}

const ALARM_SETTLE_VIRTUAL_MS = 90_000;
const MAX_ALARM_SETTLE_REAL_MS = 5_000;

/** Pushes demo traffic through the reference stack and checks what happened. */
export async function runDemo(
  cloud: LocalCloud,
  counter: OutcomeCounter,
  options: RunDemoOptions = {},
): Promise<DemoResult> {
  const out = cloud.outputs;
  const endpoints = (JSON.parse(out[OUTPUT_KEYS.manifest]!) as { endpoints: ManifestEndpoint[] }).endpoints;
  const traffic = buildDemoTraffic(options.size);
  const total = waveSize(traffic.first) + waveSize(traffic.duplicates);
  const targets: DemoTargets = {
    ordersTopicArn: out[OUTPUT_KEYS.topicArn('orders')]!,
    paymentsTopicArn: out[OUTPUT_KEYS.topicArn('payments')]!,
    jobsQueueUrl: out[OUTPUT_KEYS.queueUrl('jobs')]!,
  };
  const sourceQueues = endpoints.map((e) => out[OUTPUT_KEYS.queueUrl(e.name)]).filter((u): u is string => Boolean(u));
  const drainTimeoutMs = options.drainTimeoutMs ?? 60_000;
  let sent = 0;
  let publishMs = 0;
  let drained = true;
  const settleStarted = performance.now();
  for (const wave of [traffic.first, traffic.duplicates]) {
    const publishStarted = performance.now();
    await publishWave(cloud.clients, targets, wave, (n) => {
      sent += n;
      options.onPublished?.(sent, total);
    });
    publishMs += performance.now() - publishStarted;
    drained &&= await waitUntilDrained(cloud, sourceQueues, drainTimeoutMs, options.onBacklog);
  }
  // Let the alarms see the settled state for at least one of their periods.
  await new Promise((resolve) =>
    setTimeout(resolve, Math.min(MAX_ALARM_SETTLE_REAL_MS, cloud.clock.realMs(ALARM_SETTLE_VIRTUAL_MS))),
  );
  const settleMs = performance.now() - settleStarted - publishMs;
  const consumers = endpoints.map((e): ConsumerRow => {
    const counts = counter.counts(e.name);
    const dlqUrl = out[OUTPUT_KEYS.deadLetterQueueUrl(e.name)];
    const dlq = dlqUrl ? cloud.queueGauges(dlqUrl) : undefined;
    return {
      consumer: e.name,
      delivery: e.delivery,
      processed: counts.processed ?? 0,
      duplicatesSkipped: counts.duplicate ?? 0,
      failedAttempts: counts.failed ?? 0,
      dropped: (counts.dropped ?? 0) + (counts.skipped ?? 0),
      deadLettered: dlq ? dlq.visible + dlq.notVisible + dlq.delayed : 0,
    };
  });
  const balances = await checkBalances(cloud.clients, out[OUTPUT_KEYS.tableName('ledger')]!, traffic.expectedBalances);
  const jobs = await checkJobs(cloud.clients, out[OUTPUT_KEYS.tableName('job-results')]!);
  const alarmsFired = cloud
    .alarms()
    .filter((a) => a.history.some((h) => h.newState === 'ALARM'))
    .map((a) => `${a.alarmName} (${a.state})`);
  const ok =
    drained &&
    balances.every((b) => b.actual === b.expected) &&
    jobs.results === traffic.uniqueJobs &&
    jobs.ranTwice === 0;
  return { ok, traffic, published: total, drained, consumers, balances, jobs, alarmsFired, publishMs, settleMs };
}
