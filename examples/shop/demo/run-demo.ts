import Table from 'cli-table3';
import {
  alarmsFired,
  consumerRows,
  type ConsumerRow,
  type DemoContext,
  type DemoReport,
  endpointQueueUrls,
  OUTPUT_KEYS,
  renderConsumerTable,
  waitUntilDrained,
} from 'fanout/local';
import { checkBalances, checkJobs, type BalanceCheck, type JobCheck } from './checks.ts';
import { publishWave, waveSize, type DemoTargets } from './publish.ts';
import { buildDemoTraffic, type DemoTraffic } from './traffic.ts';

/** What the shop demo found, beside its printable report. */
export interface ShopDemoResult extends DemoReport {
  readonly traffic: DemoTraffic;
  readonly published: number;
  readonly drained: boolean;
  readonly consumers: readonly ConsumerRow[];
  readonly balances: readonly BalanceCheck[];
  readonly jobs: JobCheck;
  readonly alarmsFired: readonly string[];
}

const ALARM_SETTLE_VIRTUAL_MS = 90_000;
const MAX_ALARM_SETTLE_REAL_MS = 5_000;
const DRAIN_TIMEOUT_MS = 60_000;

/** Pushes the shop's demo traffic (`size` orders) through its stack and checks the balances and jobs. */
export async function runShopDemo(context: DemoContext): Promise<ShopDemoResult> {
  const { cloud, counter } = context;
  const out = cloud.outputs;
  const traffic = buildDemoTraffic({ orders: context.size });
  const total = waveSize(traffic.first) + waveSize(traffic.duplicates);
  const targets: DemoTargets = {
    ordersTopicArn: out[OUTPUT_KEYS.topicArn('orders')]!,
    paymentsTopicArn: out[OUTPUT_KEYS.topicArn('payments')]!,
    jobsQueueUrl: out[OUTPUT_KEYS.queueUrl('jobs')]!,
  };
  const sourceQueues = endpointQueueUrls(cloud);
  let sent = 0;
  let publishMs = 0;
  let drained = true;
  const settleStarted = performance.now();
  for (const wave of [traffic.first, traffic.duplicates]) {
    const publishStarted = performance.now();
    await publishWave(cloud.clients, targets, wave, (n) => {
      sent += n;
      context.onPublished?.(sent, total);
    });
    publishMs += performance.now() - publishStarted;
    drained &&= await waitUntilDrained(cloud, sourceQueues, DRAIN_TIMEOUT_MS, context.onBacklog);
  }
  // Let the alarms see the settled state for at least one of their periods.
  await new Promise((resolve) =>
    setTimeout(resolve, Math.min(MAX_ALARM_SETTLE_REAL_MS, cloud.clock.realMs(ALARM_SETTLE_VIRTUAL_MS))),
  );
  const settleMs = performance.now() - settleStarted - publishMs;
  const consumers = consumerRows(cloud, counter);
  const balances = await checkBalances(cloud.clients, out[OUTPUT_KEYS.tableName('ledger')]!, traffic.expectedBalances);
  const jobs = await checkJobs(cloud.clients, out[OUTPUT_KEYS.tableName('job-results')]!);
  const fired = alarmsFired(cloud);
  const ok =
    drained &&
    balances.every((b) => b.actual === b.expected) &&
    jobs.results === traffic.uniqueJobs &&
    jobs.ranTwice === 0;
  const result = { ok, traffic, published: total, drained, consumers, balances, jobs, alarmsFired: fired };
  return { ...result, summary: renderShopSummary(result), publishMs, settleMs };
}

/** The demo's summary: what was published, the consumers, the balances and the jobs. */
function renderShopSummary(result: Omit<ShopDemoResult, 'summary' | 'publishMs' | 'settleMs'>): string {
  const balances = new Table({
    head: ['account', 'expected balance', 'ledger balance', 'check'],
    style: { head: [], border: [] },
  });
  for (const b of result.balances)
    balances.push([b.accountId, b.expected, b.actual ?? '(missing)', b.actual === b.expected ? 'ok' : 'MISMATCH']);
  const t = result.traffic;
  return [
    `Published ${result.published} messages: ${t.first.orders.length} order events (${t.poisonOrders} of them poison) + ${t.duplicateOrders} duplicate publishes, ` +
      `${t.first.payments.length} payments + ${t.duplicatePayments} producer retries, ${t.first.jobs.length} jobs + ${t.duplicateJobs} duplicates.`,
    renderConsumerTable(result.consumers),
    balances.toString(),
    `Jobs: ${result.jobs.results}/${t.uniqueJobs} results, ${result.jobs.ranTwice} ran more than once.`,
    `Alarms that fired: ${result.alarmsFired.length ? result.alarmsFired.join(', ') : 'none'}`,
    result.drained ? 'All queues drained.' : 'Queues did NOT drain before the timeout.',
  ].join('\n');
}
