import type { ResolvedTopology } from '../../topology/index.ts';
import { LIMITS } from '../../topology/internal.ts';
import type { EndpointModel, ModelAssumptions } from './endpoint-model.ts';
import { LIMIT_SOURCES, type QuotaSource, type RegionLimits } from './limits.ts';
import { hotKeys, type RequestLine } from './requests.ts';
import type { TemplateFacts } from './template.ts';
import type { DestinationTraffic } from './traffic.ts';

/** One AWS limit at the planned rate: how much of it the stack uses, and what lifts it. */
export interface LimitCheck {
  readonly limit: string;
  /** Topic, endpoint, table or `account`. */
  readonly scope: string;
  readonly used: number;
  readonly max: number;
  readonly unit: string;
  readonly fix: string;
  readonly source: QuotaSource;
}

export interface HeadroomInput {
  readonly topology: ResolvedTopology;
  readonly facts: TemplateFacts;
  readonly limits: RegionLimits;
  readonly assumptions: ModelAssumptions;
  readonly destinations: readonly { readonly traffic: DestinationTraffic; readonly lines: readonly RequestLine[] }[];
  readonly endpoints: readonly { readonly model: EndpointModel; readonly lines: readonly RequestLine[] }[];
}

const groupField = (topology: ResolvedTopology, d: DestinationTraffic) =>
  [...new Set(d.events.map((e) => topology.source.events[e.eventType]?.groupBy).filter(Boolean))].join('/') ||
  'groupBy';

function topicChecks(i: HeadroomInput): LimitCheck[] {
  const { topology, limits, assumptions: a } = i;
  const checks: LimitCheck[] = [];
  const standard = i.destinations.filter((d) => d.traffic.kind === 'topic' && !d.traffic.fifo);
  checks.push({
    limit: 'SNS Publish (standard topics), per account and region',
    scope: 'account',
    used: standard.reduce((s, d) => s + d.traffic.rate, 0),
    max: limits.snsStandardPublishPerSecond,
    unit: 'msg/s',
    fix: 'request an SNS Publish quota increase (Service Quotas), or spread the topics over regions',
    source: LIMIT_SOURCES.snsPublish,
  });
  for (const { traffic: d, lines } of i.destinations) {
    if (!d.fifo) continue;
    const field = groupField(topology, d);
    if (d.kind === 'topic') {
      const topic = i.facts.topics.get(topology.topics.find((t) => t.name === d.name)!.physicalName);
      const high = topic?.highThroughput ?? d.highThroughput;
      const calls = lines.find((l) => l.service === 'SNS' && l.api === 'PublishBatch')?.perSecond ?? d.rate;
      checks.push(
        high
          ? {
              limit: 'SNS FIFO topic throughput (high-throughput mode)',
              scope: d.name,
              used: d.rate,
              max: limits.snsFifoHighThroughputPerSecond,
              unit: 'msg/s',
              fix: `request an SNS FIFO throughput increase for '${d.name}', or split its events over more FIFO topics`,
              source: LIMIT_SOURCES.snsFifo,
            }
          : {
              limit: 'SNS FIFO topic publish calls (no high-throughput mode)',
              scope: d.name,
              used: calls,
              max: limits.snsFifoTopicApiPerSecond,
              unit: 'calls/s',
              fix: `set highThroughput: true on topic '${d.name}' (throughput per message group)`,
              source: LIMIT_SOURCES.snsFifo,
            },
      );
      checks.push({
        limit: 'SNS FIFO message group throughput (hottest group)',
        scope: d.name,
        used: d.rate * a.hotShare,
        max: limits.snsFifoGroupPerSecond,
        unit: 'msg/s',
        fix: `use a finer groupBy than '${field}' for ${d.events.map((e) => e.eventType).join(', ')} (the hottest group takes ${pct(a.hotShare)} of '${d.name}')`,
        source: LIMIT_SOURCES.snsFifo,
      });
    }
  }
  return checks;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

function endpointChecks(i: HeadroomInput): LimitCheck[] {
  const { topology, limits, assumptions: a } = i;
  const checks: LimitCheck[] = [];
  for (const { model: m, lines } of i.endpoints) {
    const e = m.traffic.endpoint;
    const field = groupField(topology, m.traffic.destination);
    if (m.queue.fifo) {
      const batched = e.kind === 'work-queue';
      const apiLimit = m.queue.highThroughput ? limits.sqsFifoHighThroughputApiPerSecond : limits.sqsFifoApiPerSecond;
      checks.push({
        limit: `SQS FIFO queue sends (${m.queue.highThroughput ? 'high-throughput' : 'no high-throughput'}${batched ? ', batched' : ', one message per SNS delivery'})`,
        scope: e.path,
        used: m.traffic.rate,
        max: apiLimit * (batched ? LIMITS.batchEntriesMax : 1),
        unit: 'msg/s',
        fix: m.queue.highThroughput
          ? `request an SQS FIFO throughput increase for '${e.name}'`
          : `set highThroughput: true on ${e.kind === 'subscription' ? `topic '${e.topic}'` : `work queue '${e.name}'`}`,
        source: LIMIT_SOURCES.sqsFifo,
      });
      checks.push({
        limit: 'SQS FIFO message group throughput (hottest group)',
        scope: e.path,
        used: m.hottestGroupRate,
        max: limits.sqsFifoGroupPerSecond,
        unit: 'msg/s',
        fix: `use a finer groupBy than '${field}' (the hottest group takes ${pct(a.hotShare)})`,
        source: LIMIT_SOURCES.sqsFifo,
      });
      checks.push({
        limit: 'FIFO group processed in order: one batch of a group at a time (batch size / invocation time)',
        scope: e.path,
        used: m.hottestGroupRate,
        max: m.mapping.batchSize / (a.invocationMs / 1000),
        unit: 'msg/s',
        fix: `use a finer groupBy than '${field}', or make the handler of '${e.name}' faster`,
        source: LIMIT_SOURCES.esmScaling,
      });
    }
    const cap = m.mapping.maxConcurrency
      ? {
          max: m.mapping.maxConcurrency,
          what: 'MaximumConcurrency',
          fix: `raise consumer.maxConcurrency of '${e.name}'`,
        }
      : m.mapping.pollers
        ? {
            max: m.mapping.pollers.max * limits.esmInvocationsPerPoller,
            what: `provisioned pollers (max ${m.mapping.pollers.max} × ${limits.esmInvocationsPerPoller})`,
            fix: `raise consumer.pollers.max of '${e.name}'`,
          }
        : {
            max: limits.esmStandardMaxConcurrency,
            what: 'on-demand event source scaling',
            fix: `use provisioned pollers (consumer.pollers) for '${e.name}', or raise its batch size`,
          };
    checks.push({
      limit: `Event source concurrency (${cap.what})`,
      scope: e.path,
      used: m.concurrency,
      max: cap.max,
      unit: 'concurrent',
      fix: cap.fix,
      source: LIMIT_SOURCES.esmScaling,
    });
    for (const hot of hotKeys(m, lines, topology, a.hotShare)) {
      const read = hot.kind === 'read';
      checks.push({
        limit: `DynamoDB hot key: ${hot.kind} units on one partition (the hottest key takes ${pct(hot.share)})`,
        scope: `${e.path} → ${hot.table}`,
        used: hot.perSecond,
        max: read ? limits.dynamodbPartitionReadPerSecond : limits.dynamodbPartitionWritePerSecond,
        unit: read ? 'RRU/s' : 'WRU/s',
        fix: `spread '${hot.table}' over more keys (write sharding, or a finer key than '${topology.tables.find((t) => t.name === hot.table)?.partitionKey}'), or aggregate per key before writing`,
        source: LIMIT_SOURCES.dynamodbPartition,
      });
    }
  }
  return checks;
}

function accountChecks(i: HeadroomInput): LimitCheck[] {
  const { limits, assumptions: a } = i;
  const all = [...i.destinations.flatMap((d) => d.lines), ...i.endpoints.flatMap((e) => e.lines)];
  const concurrency = i.endpoints.reduce((s, e) => s + e.model.concurrency, 0);
  const kms = all.filter((l) => l.service === 'KMS').reduce((s, l) => s + l.perSecond, 0);
  const shortest = [...i.endpoints].sort(
    (x, y) => x.model.queue.dataKeyReuseSeconds - y.model.queue.dataKeyReuseSeconds,
  )[0];
  const byTable = new Map<string, { write: number; read: number }>();
  for (const l of all) {
    if (l.service !== 'DynamoDB' || !l.table) continue;
    const t = byTable.get(l.table) ?? { write: 0, read: 0 };
    if (l.billing === 'dynamodbWrite') t.write += l.perSecond;
    else t.read += l.perSecond;
    byTable.set(l.table, t);
  }
  const tableChecks = [...byTable].map(([table, t]) => ({
    limit: 'DynamoDB on-demand table throughput (write units)',
    scope: table,
    used: t.write,
    max: limits.dynamodbTableWritePerSecond,
    unit: 'WRU/s',
    fix: `raise the table's on-demand maximum throughput (Service Quotas: table-level write throughput) for '${table}'`,
    source: LIMIT_SOURCES.dynamodbTable,
  }));
  return [
    {
      limit: 'Lambda concurrent executions, per account and region',
      scope: 'account',
      used: concurrency,
      max: limits.lambdaAccountConcurrency,
      unit: 'concurrent',
      fix: 'request a Lambda concurrency quota increase (Service Quotas), or raise batch sizes to need fewer invocations',
      source: LIMIT_SOURCES.lambdaConcurrency,
    },
    {
      limit: `KMS symmetric requests, per account and region${a.kmsUsedPerSecond ? ` (${a.kmsUsedPerSecond}/s used elsewhere)` : ''}`,
      scope: 'account',
      used: kms + a.kmsUsedPerSecond,
      max: limits.kmsSymmetricPerSecond,
      unit: 'req/s',
      fix: shortest
        ? `raise kmsDataKeyReuseSeconds of '${shortest.model.traffic.endpoint.name}' (now ${shortest.model.queue.dataKeyReuseSeconds} s, up to ${LIMITS.kmsDataKeyReuseMaxSeconds}), or request a KMS quota increase`
        : 'request a KMS quota increase',
      source: LIMIT_SOURCES.kms,
    },
    ...tableChecks,
  ];
}

/** Every limit the plan checks, at the rate the input was modelled for. */
export function limitChecks(i: HeadroomInput): LimitCheck[] {
  return [...topicChecks(i), ...endpointChecks(i), ...accountChecks(i)];
}
