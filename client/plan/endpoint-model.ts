import type { ResolvedTopology } from '../../topology/index.ts';
import { LIMITS } from '../../topology/internal.ts';
import type { RegionLimits } from './limits.ts';
import type { FunctionFacts, MappingFacts, QueueFacts, TemplateFacts } from './template.ts';
import type { EndpointTraffic } from './traffic.ts';
import { PlanInputError } from './errors.ts';

/** Assumptions the plan cannot read from the template or the measurements; each is printed. */
export interface ModelAssumptions {
  /** Bytes of each message's payload (body + attributes). */
  readonly payloadBytes: number;
  /** Milliseconds one invocation takes (handler + runtime), whatever its batch size. */
  readonly invocationMs: number;
  /** Fraction of a destination's traffic on its hottest FIFO group / tenant / DynamoDB key. */
  readonly hotShare: number;
  /** KMS requests per second other workloads of the account already make in the region. */
  readonly kmsUsedPerSecond: number;
}

/**
 * How the event source drains one endpoint at its rate (modelled from Lambda's documentation):
 * - pollers: provisioned minimum, else the 5 an on-demand mapping starts with; more as concurrency grows;
 * - records per invocation: the rate gathered over max(window, 1 s) by the minimum pollers, from 1 up to
 *   the batch size (full batches once the rate fills them);
 * - each receive returns at most 10 records; idle pollers long-poll, one empty receive per 20 s, in the
 *   fraction of time batches are not full.
 */
export interface EndpointModel {
  readonly traffic: EndpointTraffic;
  readonly queue: QueueFacts;
  readonly fn: FunctionFacts;
  readonly mapping: MappingFacts;
  readonly minPollers: number;
  readonly recordsPerInvocation: number;
  readonly invocationsPerSecond: number;
  readonly concurrency: number;
  readonly receivesPerSecond: number;
  readonly emptyReceivesPerSecond: number;
  readonly deleteCallsPerSecond: number;
  /** Sessions receiving from the queue (each a principal to KMS): the pollers in use. */
  readonly receivingSessions: number;
  /** KMS requests per second for the queue (SQS's formula: (2 × producers + consumers) per reuse period). */
  readonly kmsPerSecond: number;
  /** Messages per second of the hottest FIFO group (FIFO queues), else 0. */
  readonly hottestGroupRate: number;
}

export function endpointModel(
  traffic: EndpointTraffic,
  facts: TemplateFacts,
  limits: RegionLimits,
  assumptions: ModelAssumptions,
): EndpointModel {
  const e = traffic.endpoint;
  const queue = facts.queues.get(e.names.queue);
  const fn = facts.functions.get(e.names.function);
  const mapping = facts.mappings.get(e.names.function);
  if (!queue || !fn || !mapping)
    throw new PlanInputError(
      `Stack '${facts.stackName}' has no ${queue ? (fn ? 'event source mapping for' : 'function') : 'queue'} '${queue ? e.names.function : e.names.queue}' of endpoint '${e.path}': the template is not the topology's. Fix: synthesize again (\`npx cdk synth\`) or pass the matching --stage/--stack.`,
    );
  const rate = traffic.rate;
  const minPollers = mapping.pollers?.min ?? limits.esmInitialPollers;
  const gather = Math.max(mapping.windowSeconds, 1);
  const records = rate > 0 ? Math.min(mapping.batchSize, Math.max(1, (rate * gather) / minPollers)) : 0;
  const invocations = records > 0 ? rate / records : 0;
  const concurrency = invocations * (assumptions.invocationMs / 1000);
  const perReceive = Math.min(records, LIMITS.batchEntriesMax);
  const receives = perReceive > 0 ? rate / perReceive : 0;
  const idle = records > 0 ? 1 - records / mapping.batchSize : 1;
  const sessions = Math.max(minPollers, Math.ceil(concurrency));
  const producers = 1;
  const kmsPerSecond = queue.encrypted && rate > 0 ? (2 * producers + sessions) / queue.dataKeyReuseSeconds : 0;
  return {
    traffic,
    queue,
    fn,
    mapping,
    minPollers,
    recordsPerInvocation: records,
    invocationsPerSecond: invocations,
    concurrency,
    receivesPerSecond: receives,
    emptyReceivesPerSecond: (minPollers / LIMITS.receiveWaitSecondsMax) * idle,
    deleteCallsPerSecond: receives,
    receivingSessions: sessions,
    kmsPerSecond,
    hottestGroupRate: queue.fifo ? rate * assumptions.hotShare : 0,
  };
}

/** The DynamoDB key field of a table, and which share of an endpoint's writes its hottest key takes. */
export function hotKeyShare(
  topology: ResolvedTopology,
  tableName: string,
  traffic: EndpointTraffic,
  hotShare: number,
): number | undefined {
  const table = topology.tables.find((t) => t.name === tableName);
  if (!table || traffic.rate === 0) return undefined;
  const events = traffic.events.map((x) => topology.source.events[x.eventType]);
  if (events.some((ev) => ev?.groupBy === table.partitionKey || ev?.tenantBy === table.partitionKey)) return hotShare;
  if (table.partitionKey === 'eventType') return Math.max(...traffic.events.map((x) => x.rate / traffic.rate));
  return undefined;
}
