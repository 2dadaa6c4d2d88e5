import type { Topology } from '../../topology/index.ts';
import { OUTPUT_KEYS } from '../../contracts/index.ts';
import type { LocalCloud } from '../cloud.ts';
import type { OutcomeCounter } from './outcome-counter.ts';

/** What `fanout start` hands an app's demo: the running cloud and the record outcomes counted so far. */
export interface DemoContext {
  readonly cloud: LocalCloud;
  readonly counter: OutcomeCounter;
  /** Scale of the traffic (`fanout start --demo-size`), for the demo to interpret. @default 100 */
  readonly size: number;
  onPublished?(sent: number, total: number): void;
  onBacklog?(backlog: number): void;
}

/** What a demo found: whether its checks passed and what to print. */
export interface DemoReport {
  readonly ok: boolean;
  /** Printed as it is: what was published, the consumers table (`renderConsumerTable`), the app's own checks. */
  readonly summary: string;
  readonly publishMs: number;
  readonly settleMs: number;
}

/** An app's demo traffic: publishes, waits until it settled, checks the effects. */
export type AppDemo = (context: DemoContext) => Promise<DemoReport>;

/**
 * `fanout.config.ts` at the root of an app (its default export): what the `fanout` CLI, `fanout start`
 * and the console need to know about the app beyond its synthesized stack.
 */
export interface FanoutConfig {
  /** The topology the app's CDK code deploys (its events, schemas and names). */
  readonly topology: Topology;
  /** Demo traffic `fanout start` runs after start-up. @default - none: `fanout start` says how to publish */
  readonly demo?: AppDemo;
}

/** One consumer's record outcomes, as the summary table shows them. */
export interface ConsumerRow {
  readonly consumer: string;
  readonly delivery: string;
  readonly processed: number;
  readonly duplicatesSkipped: number;
  readonly failedAttempts: number;
  readonly dropped: number;
  readonly deadLettered: number;
}

interface ManifestEndpoint {
  readonly name: string;
  readonly delivery: string;
}

/** The endpoints of the stack's manifest output (name and delivery), or none when it has no manifest. */
export function manifestEndpoints(cloud: LocalCloud): readonly ManifestEndpoint[] {
  const manifest = cloud.outputs[OUTPUT_KEYS.manifest];
  return manifest ? (JSON.parse(manifest) as { endpoints: ManifestEndpoint[] }).endpoints : [];
}

/** The source queues of every endpoint: what "settled" waits on. */
export function endpointQueueUrls(cloud: LocalCloud): string[] {
  return manifestEndpoints(cloud)
    .map((e) => cloud.outputs[OUTPUT_KEYS.queueUrl(e.name)])
    .filter((u): u is string => Boolean(u));
}

/** Per endpoint: outcomes counted from its function's log lines, and what its DLQ holds now. */
export function consumerRows(cloud: LocalCloud, counter: OutcomeCounter): ConsumerRow[] {
  return manifestEndpoints(cloud).map((e): ConsumerRow => {
    const counts = counter.counts(e.name);
    const dlqUrl = cloud.outputs[OUTPUT_KEYS.deadLetterQueueUrl(e.name)];
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
}

/** Alarms that went into ALARM at least once, with their state now. */
export function alarmsFired(cloud: LocalCloud): string[] {
  return cloud
    .alarms()
    .filter((a) => a.history.some((h) => h.newState === 'ALARM'))
    .map((a) => `${a.alarmName} (${a.state})`);
}
