/**
 * The measuring half of `npm run bench:local`, run as a child process by `bench/local.ts` (in this
 * tree and in the baseline's worktree): only the local cloud lives in this process, the assemblies
 * come synthesized. Uses only APIs the baseline has too. Writes its figures as JSON to `--out`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { OutcomeCounter } from '../local/demo/outcome-counter.ts';
import { startLocalCloud } from '../local/index.ts';
import { childPids, rssOf } from '../test/support/child-processes.ts';
import { OUTPUT_KEYS } from '../contracts/outputs.ts';

const arg = (name: string) => process.argv[process.argv.indexOf(`--${name}`) + 1]!;
const ORDERS = Number(arg('orders'));
const SUBSCRIBERS_PER_PLACED_ORDER = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * CPU time (user + system) of a process in ms, from /proc (clock ticks of 10 ms). Its own copy, not
 * test/support's: this script also runs in the baseline's worktree, whose support files lack it.
 */
function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

export interface LocalMeasurement {
  readonly upMs: number;
  readonly firstMessageMs: number;
  readonly nodeIdle: number;
  readonly jvmIdle: number;
  readonly nodePeak: number;
  readonly jvmPeak: number;
  readonly environmentsPeak: number;
  readonly delivered: number;
  readonly deliveriesPerSecond: number;
  readonly nodeCpuMsPerDelivery: number;
  readonly jvmCpuMsPerDelivery: number;
  readonly noopDeliveriesPerSecond: number;
  readonly noopCpuMsPerDelivery: number;
}

async function reference() {
  const counter = new OutcomeCounter();
  const started = performance.now();
  const cloud = await startLocalCloud({
    assemblyDir: arg('assembly'),
    stackName: arg('stack'),
    timeScale: 60,
    onLog: counter.onLog,
  });
  const upMs = performance.now() - started;
  const jvm = childPids('java')[0];
  const topicArn = cloud.outputs[OUTPUT_KEYS.topicArn('orders')]!;
  const order = (i: number) => ({
    Id: `o${i % 10}`,
    Message: JSON.stringify({
      orderId: `bench-${i}`,
      customerId: 'c',
      email: 'bench@example.com',
      items: [{ sku: 's', quantity: 1 }],
      totalCents: 1,
    }),
    MessageAttributes: {
      eventType: { DataType: 'String', StringValue: 'OrderPlaced' },
      idempotencyKey: { DataType: 'String', StringValue: `bench-${i}` },
    },
  });
  await cloud.clients.sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [order(0)] }));
  while (counter.total() < SUBSCRIBERS_PER_PLACED_ORDER) await sleep(5);
  const firstMessageMs = counter.firstOutcomeAt! - started;
  const nodeIdle = process.memoryUsage.rss();
  const jvmIdle = jvm ? rssOf(jvm) : 0;
  const peak = { node: nodeIdle, jvm: jvmIdle, environments: 0 };
  const environments = () => Object.values(cloud.lambdas.environments()).reduce((a, b) => a + b, 0);
  const sampler = setInterval(() => {
    peak.node = Math.max(peak.node, process.memoryUsage.rss());
    if (jvm) peak.jvm = Math.max(peak.jvm, rssOf(jvm));
    peak.environments = Math.max(peak.environments, environments());
  }, 250);
  const before = counter.total();
  const expected = before + ORDERS * SUBSCRIBERS_PER_PLACED_ORDER;
  const cpu0 = process.cpuUsage();
  const jvm0 = cpuMsOf(jvm);
  const t0 = performance.now();
  for (let i = 1; i <= ORDERS; i += 10) {
    const entries = Array.from({ length: Math.min(10, ORDERS - i + 1) }, (_, k) => order(i + k));
    await cloud.clients.sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }));
  }
  const deadline = Date.now() + 600_000;
  while (counter.total() < expected && Date.now() < deadline) await sleep(20);
  const ms = performance.now() - t0;
  clearInterval(sampler);
  const delivered = counter.total() - before;
  const nodeCpu = cpuMs(cpu0);
  const jvmCpu = cpuMsOf(jvm) - jvm0;
  await cloud.stop();
  return {
    upMs,
    firstMessageMs,
    nodeIdle,
    jvmIdle,
    nodePeak: peak.node,
    jvmPeak: peak.jvm,
    environmentsPeak: peak.environments,
    delivered,
    deliveriesPerSecond: delivered / (ms / 1000),
    nodeCpuMsPerDelivery: nodeCpu / delivered,
    jvmCpuMsPerDelivery: jvmCpu / delivered,
  };
}

/** The same fan-out through no-op functions: what the local cloud itself costs per delivery. */
async function noop() {
  // Counted from the batch reports: the baseline's `stats.deleted` lost counts under concurrency.
  let succeeded = 0;
  const cloud = await startLocalCloud({
    assemblyDir: arg('noop-assembly'),
    stackName: arg('noop-stack'),
    onBatch: (report) => {
      if (report.outcome.kind === 'success') succeeded += report.messageIds.length;
    },
  });
  const topicArn = Object.values(cloud.resources.ofType('AWS::SNS::Topic'))[0]!.physicalId;
  const deleted = () => succeeded;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < ORDERS; i += 10) {
    const entries = Array.from({ length: Math.min(10, ORDERS - i) }, (_, k) => ({
      Id: `m${k}`,
      Message: `{"n":${i + k}}`,
    }));
    await cloud.clients.sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }));
  }
  while (deleted() < ORDERS * SUBSCRIBERS_PER_PLACED_ORDER) await sleep(20);
  const ms = performance.now() - t0;
  const delivered = deleted();
  const cpu = cpuMs(cpu0);
  await cloud.stop();
  return { noopDeliveriesPerSecond: delivered / (ms / 1000), noopCpuMsPerDelivery: cpu / delivered };
}

const measured: LocalMeasurement = { ...(await reference()), ...(await noop()) };
writeFileSync(arg('out'), JSON.stringify(measured));
process.exit(0);
