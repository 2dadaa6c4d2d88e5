import type { Dimensions, MetricStore } from './metric-store.ts';

/**
 * CloudWatch Embedded Metric Format: a log line that is one JSON document with an `_aws` member
 * becomes metrics, as CloudWatch Logs extracts them from a function's log group. Any function's EMF
 * is read (not only Fanout's consumer runtime), so alarms on a stack's own metrics evaluate locally.
 * Datapoints are stamped with the local clock's now (the document's `_aws.Timestamp` is the
 * function's real time, which a scaled clock does not share).
 */

interface MetricDirective {
  readonly Namespace?: unknown;
  readonly Dimensions?: unknown;
  readonly Metrics?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The values a document holds for a metric: a number or an array of numbers (EMF allows both). */
function valuesOf(value: unknown): number[] {
  const all = Array.isArray(value) ? value : [value];
  return all.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

/** Each dimension set of a directive, resolved from the document's members (a set naming a missing member is skipped, as CloudWatch does). */
function dimensionSets(directive: MetricDirective, doc: Record<string, unknown>): Dimensions[] {
  const sets = Array.isArray(directive.Dimensions) ? directive.Dimensions : [];
  const resolved: Dimensions[] = [];
  for (const set of sets) {
    if (!Array.isArray(set)) continue;
    const entries = set.map((name) => [name, doc[String(name)]] as const);
    if (entries.every(([, v]) => typeof v === 'string')) resolved.push(Object.fromEntries(entries) as Dimensions);
  }
  return resolved.length > 0 ? resolved : sets.length === 0 ? [{}] : [];
}

/** Records the metrics of one log line; returns how many datapoints it recorded (0 for a line that is not EMF). */
export function recordEmbeddedMetrics(metrics: MetricStore, line: string): number {
  if (!line.includes('"_aws"')) return 0;
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    return 0;
  }
  if (!isRecord(doc) || !isRecord(doc._aws) || !Array.isArray(doc._aws.CloudWatchMetrics)) return 0;
  let recorded = 0;
  for (const directive of doc._aws.CloudWatchMetrics as MetricDirective[]) {
    if (!isRecord(directive) || typeof directive.Namespace !== 'string' || !Array.isArray(directive.Metrics)) continue;
    const sets = dimensionSets(directive, doc);
    for (const metric of directive.Metrics) {
      if (!isRecord(metric) || typeof metric.Name !== 'string') continue;
      for (const value of valuesOf(doc[metric.Name])) {
        for (const dimensions of sets) {
          metrics.record(directive.Namespace, metric.Name, dimensions, value);
          recorded++;
        }
      }
    }
  }
  return recorded;
}
