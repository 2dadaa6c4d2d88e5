import { batchesOf, CONSUMER_METRICS } from '../../../contracts/runtime.ts';
import { EMF_LIMITS } from '../limits.ts';
import type { OutcomeKind, RecordOutcome } from '../outcome.ts';
import { isRetried } from '../outcome.ts';
import type { LogSink } from './log.ts';

const N = CONSUMER_METRICS.names;
type CountName = Exclude<(typeof N)[keyof typeof N], typeof N.endToEndLag>;

const COUNTED_AS: Partial<Record<OutcomeKind, CountName[]>> = {
  processed: [N.processed],
  duplicate: [N.duplicate],
  deferred: [N.deferred],
  failed: [N.failed],
  'dead-lettered': [N.failed, N.deadLettered],
  dropped: [N.failed, N.dropped],
};

/** Per-invocation counters, written as CloudWatch Embedded Metric Format documents. */
export function invocationCounts(outcomes: readonly RecordOutcome[], shed: number): Record<CountName, number> {
  const counts = Object.fromEntries(
    [N.processed, N.failed, N.retried, N.duplicate, N.deferred, N.deadLettered, N.dropped, N.shed, N.leaseLost].map(
      (name) => [name, 0],
    ),
  ) as Record<CountName, number>;
  for (const outcome of outcomes) {
    for (const name of COUNTED_AS[outcome.kind] ?? []) counts[name]++;
    if (isRetried(outcome.kind)) counts[N.retried]++;
    if (outcome.leaseLost) counts[N.leaseLost]++;
  }
  counts[N.shed] = shed;
  return counts;
}

function emfDocument(consumer: string, timestamp: number, values: Record<string, number | number[]>): string {
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: CONSUMER_METRICS.namespace,
          Dimensions: [[CONSUMER_METRICS.dimension]],
          Metrics: Object.keys(values).map((Name) => ({
            Name,
            Unit: Name === N.endToEndLag ? 'Milliseconds' : 'Count',
          })),
        },
      ],
    },
    [CONSUMER_METRICS.dimension]: consumer,
    ...values,
  });
}

/** Writes the invocation's counters and end-to-end lags (EMF allows 100 values per metric per document). */
export function emitMetrics(
  sink: LogSink,
  consumer: string,
  outcomes: readonly RecordOutcome[],
  shed: number,
  nowMs: number,
): void {
  const lags = outcomes.flatMap((o) => (o.publishedAtMs === undefined ? [] : [Math.max(0, nowMs - o.publishedAtMs)]));
  const [first = [], ...rest] = batchesOf(lags, EMF_LIMITS.valuesPerMetricMax);
  sink(
    emfDocument(consumer, nowMs, {
      ...invocationCounts(outcomes, shed),
      ...(first.length ? { [N.endToEndLag]: first } : {}),
    }),
  );
  for (const batch of rest) sink(emfDocument(consumer, nowMs, { [N.endToEndLag]: batch }));
}
