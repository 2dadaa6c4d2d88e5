import type { FauxqsServer } from 'fauxqs';
import { LOCAL_DEFAULTS } from '../limits.ts';
import type { MetricStore } from './metric-store.ts';

/** Queue depth gauges at one instant, read from fauxqs without touching visibility. */
export interface QueueGauges {
  readonly visible: number;
  readonly notVisible: number;
  readonly delayed: number;
  /** Age of the oldest message still in the queue, in virtual seconds (0 when empty). */
  readonly ageOfOldestSeconds: number;
}

export function readQueueGauges(fauxqs: FauxqsServer, queueName: string, timeScale: number): QueueGauges | undefined {
  const queue = fauxqs.inspectQueue(queueName);
  if (!queue) return undefined;
  const { ready, inflight, delayed } = queue.messages;
  const now = Date.now();
  // fauxqs moves expired in-flight and delayed messages back only when the queue is next polled; a
  // queue nobody polls (a DLQ) would look hidden forever, so count them as SQS reports them.
  const expired = inflight.filter((e) => e.visibilityDeadline <= now).length;
  const due = delayed.filter((m) => (m.delayUntil ?? 0) <= now).length;
  let oldest = Number.POSITIVE_INFINITY;
  for (const m of ready) oldest = Math.min(oldest, m.sentTimestamp);
  for (const e of inflight) oldest = Math.min(oldest, e.message.sentTimestamp);
  const ageOfOldestSeconds = Number.isFinite(oldest) ? Math.max(0, ((now - oldest) / 1000) * timeScale) : 0;
  return {
    visible: ready.length + expired + due,
    notVisible: inflight.length - expired,
    delayed: delayed.length - due,
    ageOfOldestSeconds,
  };
}

/**
 * Samples AWS/SQS gauges (ApproximateNumberOfMessagesVisible / NotVisible / Delayed,
 * ApproximateAgeOfOldestMessage) for every queue, every `metricSampleVirtualSeconds` of scaled time.
 */
export class QueueSampler {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly fauxqs: FauxqsServer,
    private readonly metrics: MetricStore,
    private readonly queueNames: () => readonly string[],
    /** Called after each sample with the gauges of every queue read. @default - none */
    private readonly onSample?: (gauges: ReadonlyMap<string, QueueGauges>) => void,
  ) {}

  sample(): void {
    const scale = this.metrics.clock.timeScale;
    const sampled = new Map<string, QueueGauges>();
    for (const name of this.queueNames()) {
      const gauges = readQueueGauges(this.fauxqs, name, scale);
      if (!gauges) continue;
      sampled.set(name, gauges);
      const dims = { QueueName: name };
      this.metrics.record('AWS/SQS', 'ApproximateNumberOfMessagesVisible', dims, gauges.visible);
      this.metrics.record('AWS/SQS', 'ApproximateNumberOfMessagesNotVisible', dims, gauges.notVisible);
      this.metrics.record('AWS/SQS', 'ApproximateNumberOfMessagesDelayed', dims, gauges.delayed);
      this.metrics.record('AWS/SQS', 'ApproximateAgeOfOldestMessage', dims, gauges.ageOfOldestSeconds);
    }
    this.onSample?.(sampled);
  }

  start(): void {
    this.sample();
    const everyMs = Math.max(20, this.metrics.clock.realMs(LOCAL_DEFAULTS.metricSampleVirtualSeconds * 1000));
    this.#timer = setInterval(() => this.sample(), everyMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
