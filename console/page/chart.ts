import uPlot from 'uplot';
import type { QueueSample } from '../protocol.ts';

export interface SeriesSpec {
  readonly label: string;
  readonly value: (s: QueueSample) => number;
  readonly stroke: string;
}

/** A uPlot chart of one queue's samples (wall-clock time on x); `sparkline` hides axes and legend. */
export class QueueChart {
  readonly #plot: uPlot;

  constructor(
    parent: HTMLElement,
    private readonly series: readonly SeriesSpec[],
    size: { width: number; height: number },
    sparkline: boolean,
  ) {
    const options: uPlot.Options = {
      width: size.width,
      height: size.height,
      legend: { show: !sparkline },
      cursor: { show: !sparkline },
      axes: sparkline ? [{ show: false }, { show: false }] : [{ label: 'wall clock', labelSize: 16 }, { size: 40 }],
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.stroke,
          width: sparkline ? 1.5 : 2,
          points: { show: false },
        })),
      ],
    };
    this.#plot = new uPlot(options, [[], ...series.map(() => [])], parent);
  }

  set(samples: readonly QueueSample[]): void {
    this.#plot.setData([samples.map((s) => s.t / 1000), ...this.series.map((spec) => samples.map(spec.value))]);
  }

  destroy(): void {
    this.#plot.destroy();
  }
}

export const DEPTH_SERIES: readonly SeriesSpec[] = [
  { label: 'visible', value: (s) => s.visible, stroke: '#2563eb' },
  { label: 'in flight', value: (s) => s.notVisible, stroke: '#f59e0b' },
  { label: 'delayed', value: (s) => s.delayed, stroke: '#8b5cf6' },
];

export const AGE_SERIES: readonly SeriesSpec[] = [
  { label: 'age of oldest (virtual s)', value: (s) => s.ageOfOldestSeconds, stroke: '#dc2626' },
];
