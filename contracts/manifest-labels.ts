import type { ResolvedTopology } from '../topology/resolve.ts';

/**
 * What diagrams and the local console label nodes with, beyond what a template carries. It travels
 * in the stack's manifest output (`labels`), so any reader of the template can draw the topology.
 */
export interface ManifestLabels {
  readonly topics: Readonly<Record<string, TopicLabels>>;
  readonly endpoints: Readonly<Record<string, EndpointLabels>>;
  /** Topic every alarm notifies. */
  readonly alarmTopic: string;
}

export interface TopicLabels {
  /** FIFO group key fields of the topic's events (distinct, in event order); empty for standard topics. */
  readonly groupBy: readonly string[];
  readonly archiveRetentionDays: number | null;
  readonly contentBasedDeduplication: boolean;
}

export interface EndpointLabels {
  readonly delivery: string;
  readonly fifo: boolean;
  readonly groupBy: readonly string[];
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  /** Most concurrent consumer invocations (the event source's MaximumConcurrency); null for no cap. */
  readonly maxConcurrency: number | null;
  /** Backlog above which an at-most-once consumer sheds the oldest messages; null for no shedding. */
  readonly shedsAbove: number | null;
  readonly maxReceiveCount: number | null;
  readonly rawDelivery: boolean;
  readonly requestReply: boolean;
  readonly tables: readonly string[];
}

function groupKeys(resolved: ResolvedTopology, events: readonly string[], fifo: boolean): string[] {
  if (!fifo) return [];
  const keys = events.map((e) => resolved.source.events[e]?.groupBy).filter((k): k is string => k !== undefined);
  return [...new Set(keys)];
}

export function manifestLabels(resolved: ResolvedTopology): ManifestLabels {
  return {
    topics: Object.fromEntries(
      resolved.topics.map((t) => [
        t.name,
        {
          groupBy: groupKeys(resolved, t.events, t.fifo),
          archiveRetentionDays: t.archiveRetentionDays ?? null,
          contentBasedDeduplication: t.contentBasedDeduplication,
        },
      ]),
    ),
    endpoints: Object.fromEntries(
      resolved.endpoints.map((e) => [
        e.name,
        {
          delivery: e.delivery,
          fifo: e.fifo,
          groupBy: groupKeys(resolved, e.events, e.fifo),
          batchSize: e.consumer.batchSize,
          batchingWindowSeconds: e.consumer.batchingWindowSeconds,
          maxConcurrency: e.consumer.maxConcurrency ?? null,
          shedsAbove: e.maxDepth ?? null,
          maxReceiveCount: e.maxReceiveCount ?? null,
          rawDelivery: e.rawDelivery,
          requestReply: e.requestReply,
          tables: [...e.consumer.tables],
        },
      ]),
    ),
    alarmTopic: resolved.alarmTopic.name,
  };
}
