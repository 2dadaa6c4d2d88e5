import type {
  AlarmView,
  ConsoleNode,
  ConsoleSnapshot,
  FunctionView,
  LogEntry,
  OutcomeEntry,
  QueueSample,
  StreamEvents,
} from '../protocol.ts';

type Listener<T> = (value: T) => void;

/** Samples kept per queue in the page (the server's window; older ones are dropped). */
const SAMPLES_KEPT = 2_000;
const OUTCOMES_KEPT = 5_000;
const LOGS_KEPT = 5_000;

/** The page's copy of the live state: the snapshot it loaded, updated by the stream's events. */
export class Store {
  readonly queues = new Map<string, QueueSample[]>();
  functions: Record<string, FunctionView>;
  readonly alarms = new Map<string, AlarmView>();
  readonly outcomes: OutcomeEntry[];
  readonly logs: LogEntry[];
  readonly #listeners: { [K in keyof StreamEvents]: Set<Listener<StreamEvents[K]>> } = {
    sample: new Set(),
    alarm: new Set(),
    outcomes: new Set(),
    logs: new Set(),
  };

  constructor(readonly snapshot: ConsoleSnapshot) {
    for (const [name, samples] of Object.entries(snapshot.queues)) this.queues.set(name, [...samples]);
    this.functions = snapshot.functions;
    for (const a of snapshot.alarms) this.alarms.set(a.name, a);
    this.outcomes = [...snapshot.outcomes];
    this.logs = [...snapshot.logs];
  }

  get nodes(): readonly ConsoleNode[] {
    return this.snapshot.graph.nodes;
  }

  node(id: string): ConsoleNode | undefined {
    return this.snapshot.graph.nodes.find((n) => n.id === id);
  }

  latest(queueName: string | undefined): QueueSample | undefined {
    const series = queueName ? this.queues.get(queueName) : undefined;
    return series?.[series.length - 1];
  }

  /** The DLQ node a queue redrives to. */
  deadLetterQueueOf(nodeId: string): ConsoleNode | undefined {
    const edge = this.snapshot.graph.edges.find((e) => e.kind === 'redrive' && e.from === nodeId);
    return edge ? this.node(edge.to) : undefined;
  }

  alarmsWatching(nodeId: string): AlarmView[] {
    return [...this.alarms.values()].filter((a) => a.watches.includes(nodeId));
  }

  on<K extends keyof StreamEvents>(kind: K, listener: Listener<StreamEvents[K]>): void {
    (this.#listeners[kind] as Set<Listener<StreamEvents[K]>>).add(listener);
  }

  apply<K extends keyof StreamEvents>(kind: K, data: StreamEvents[K]): void {
    if (kind === 'sample') {
      const sample = data as StreamEvents['sample'];
      for (const [name, gauges] of Object.entries(sample.queues)) {
        let series = this.queues.get(name);
        if (!series) {
          series = [];
          this.queues.set(name, series);
        }
        series.push({ t: sample.t, ...gauges });
        if (series.length > SAMPLES_KEPT) series.splice(0, series.length - SAMPLES_KEPT);
      }
      this.functions = sample.functions;
    } else if (kind === 'alarm') {
      const alarm = data as AlarmView;
      this.alarms.set(alarm.name, alarm);
    } else if (kind === 'logs') {
      const newest = this.logs.at(-1)?.seq ?? 0;
      this.logs.push(...(data as readonly LogEntry[]).filter((l) => l.seq > newest));
      if (this.logs.length > LOGS_KEPT) this.logs.splice(0, this.logs.length - LOGS_KEPT);
    } else {
      this.outcomes.push(...(data as readonly OutcomeEntry[]));
      if (this.outcomes.length > OUTCOMES_KEPT) this.outcomes.splice(0, this.outcomes.length - OUTCOMES_KEPT);
    }
    for (const listener of this.#listeners[kind] as Set<Listener<StreamEvents[K]>>) listener(data);
  }
}
