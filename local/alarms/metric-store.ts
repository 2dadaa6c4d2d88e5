import type { ScaledClock } from './clock.ts';

export type Dimensions = Readonly<Record<string, string>>;

export interface Datapoint {
  /** Virtual time, ms since epoch. */
  readonly t: number;
  readonly v: number;
}

/** How long (virtual) datapoints are kept: a day, longer than any alarm looks back locally. */
const RETENTION_VIRTUAL_MS = 24 * 3600_000;
const MAX_POINTS_PER_METRIC = 20_000;

export function metricKey(namespace: string, metricName: string, dimensions: Dimensions): string {
  const dims = Object.keys(dimensions)
    .sort()
    .map((k) => `${k}=${dimensions[k]}`)
    .join(',');
  return `${namespace}|${metricName}|${dims}`;
}

/** Locally recorded CloudWatch metrics: gauges sampled from the emulators and counters from the Lambda host. */
export class MetricStore {
  readonly #series = new Map<string, Datapoint[]>();

  constructor(readonly clock: ScaledClock) {}

  record(namespace: string, metricName: string, dimensions: Dimensions, value: number): void {
    const key = metricKey(namespace, metricName, dimensions);
    let points = this.#series.get(key);
    if (!points) {
      points = [];
      this.#series.set(key, points);
    }
    const t = this.clock.now();
    points.push({ t, v: value });
    if (points.length > MAX_POINTS_PER_METRIC || points[0]!.t < t - RETENTION_VIRTUAL_MS) {
      const keepFrom = points.findIndex((p) => p.t >= t - RETENTION_VIRTUAL_MS);
      points.splice(0, Math.max(keepFrom, points.length - MAX_POINTS_PER_METRIC));
    }
  }

  /** Datapoints in [from, to) virtual ms. */
  between(namespace: string, metricName: string, dimensions: Dimensions, from: number, to: number): Datapoint[] {
    const points = this.#series.get(metricKey(namespace, metricName, dimensions)) ?? [];
    return points.filter((p) => p.t >= from && p.t < to);
  }

  /** Sum of every datapoint of a metric so far (counters). */
  total(namespace: string, metricName: string, dimensions: Dimensions): number {
    return (this.#series.get(metricKey(namespace, metricName, dimensions)) ?? []).reduce((sum, p) => sum + p.v, 0);
  }
}
