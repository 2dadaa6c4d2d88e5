import { manifestLabels, type ManifestLabels } from './manifest-labels.ts';
import type { ResolvedTopology } from '../topology/resolve.ts';

/**
 * What a client needs to know about the deployed topology, without a source checkout (no tokens): the
 * JSON of the stack's `FanoutManifest` output, written by lib/outputs.ts and read by template-graph.ts.
 */
export interface FanoutManifest {
  readonly stage: string;
  readonly prefix: string;
  readonly topics: readonly {
    readonly name: string;
    readonly fifo: boolean;
    readonly physicalName: string;
    readonly events: readonly string[];
    readonly subscriptions: readonly string[];
  }[];
  readonly endpoints: readonly {
    readonly name: string;
    readonly kind: 'subscription' | 'work-queue';
    readonly topic: string | null;
    readonly fifo: boolean;
    readonly delivery: string;
    readonly events: readonly string[];
    readonly maxReceiveCount: number | null;
    readonly maxDepth: number | null;
    /** The stack holding it: 0 = the root stack, k = nested endpoint stack k (see the placement record). */
    readonly stack: number;
  }[];
  /** What diagram and console labels need beyond the template (delivery, group key, concurrency, shedding). */
  readonly labels: ManifestLabels;
}

/** `placement`: endpoint name → its stack number. @default every endpoint in the root stack */
export function buildManifest(
  resolved: ResolvedTopology,
  placement: Readonly<Record<string, number>> = {},
): FanoutManifest {
  return {
    stage: resolved.stage.name,
    prefix: resolved.prefix,
    topics: resolved.topics.map((t) => ({
      name: t.name,
      fifo: t.fifo,
      physicalName: t.physicalName,
      events: [...t.events],
      subscriptions: [...t.subscriptions],
    })),
    endpoints: resolved.endpoints.map((e) => ({
      name: e.name,
      kind: e.kind,
      topic: e.topic ?? null,
      fifo: e.fifo,
      delivery: e.delivery,
      events: [...e.events],
      maxReceiveCount: e.maxReceiveCount ?? null,
      maxDepth: e.maxDepth ?? null,
      stack: placement[e.name] ?? 0,
    })),
    labels: manifestLabels(resolved),
  };
}
