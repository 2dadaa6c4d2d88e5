import type { StateChange } from './alarms/alarm-message.ts';
import type { QueueGauges } from './alarms/queue-sampler.ts';
import type { WatchEvent } from './watch/watch-events.ts';

/** What the local cloud tells subscribers as it happens (the console, scripts). */
export interface CloudEventMap {
  /** Every line a function writes. */
  readonly log: { readonly functionName: string; readonly line: string };
  /** Every alarm state change. */
  readonly alarm: StateChange;
  /** Each metric sample of every queue's gauges (every `metricSampleVirtualSeconds` of scaled time). */
  readonly queueSample: ReadonlyMap<string, QueueGauges>;
  /** Each change a watch (`watchApp`) handled: code reloaded, a restart needed, a failed rebuild. */
  readonly watch: WatchEvent;
}

type Listener<T> = (event: T) => void;

/** A small typed fan-out: emitting with no subscriber costs one empty-set check. */
export class CloudEvents {
  readonly #listeners: { [K in keyof CloudEventMap]: Set<Listener<CloudEventMap[K]>> } = {
    log: new Set(),
    alarm: new Set(),
    queueSample: new Set(),
    watch: new Set(),
  };

  /** Subscribes to one kind of event; returns the unsubscribe function. */
  on<K extends keyof CloudEventMap>(kind: K, listener: Listener<CloudEventMap[K]>): () => void {
    const set = this.#listeners[kind] as Set<Listener<CloudEventMap[K]>>;
    set.add(listener);
    return () => set.delete(listener);
  }

  has(kind: keyof CloudEventMap): boolean {
    return this.#listeners[kind].size > 0;
  }

  emit<K extends keyof CloudEventMap>(kind: K, event: CloudEventMap[K]): void {
    for (const listener of this.#listeners[kind] as Set<Listener<CloudEventMap[K]>>) listener(event);
  }
}
