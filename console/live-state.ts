import type { AlarmStatus, QueueGauges } from '../local/index.ts';
import type { LocalCloud } from '../local/index.ts';
import { LOG_ENTRIES_SENT, logEntry } from './log-entries.ts';
import type { AlarmView, FunctionView, LogEntry, OutcomeEntry, QueueSample, StreamEvents } from './protocol.ts';
import { outcomeEntry } from './record-outcomes.ts';

/** Real-time window of queue samples a page gets on load (its charts span it). */
export const QUEUE_HISTORY_MS = 3 * 60_000;
/** Record outcomes a page gets on load; the stream then adds every new one. */
export const OUTCOMES_KEPT = 2_000;
/** Outcomes and log lines are sent in batches at most this often: a burst of records is one frame, not thousands. */
const OUTCOME_FLUSH_MS = 250;

export interface LiveStateSink {
  send<K extends keyof StreamEvents>(event: K, data: StreamEvents[K]): void;
}

/**
 * What the console shows live, fed only by what the local cloud already emits: the sampler's queue
 * gauges (the alarm evaluator's cadence), alarm state changes and the functions' record-outcome lines.
 */
export class LiveState {
  readonly #queues = new Map<string, QueueSample[]>();
  readonly #outcomes: OutcomeEntry[] = [];
  #pending: OutcomeEntry[] = [];
  #pendingLogs: LogEntry[] = [];
  readonly #flushTimer: NodeJS.Timeout;
  readonly #unsubscribe: (() => void)[];

  constructor(
    private readonly cloud: LocalCloud,
    private readonly watches: ReadonlyMap<string, readonly string[]>,
    private readonly sink: LiveStateSink,
  ) {
    this.#unsubscribe = [
      cloud.events.on('queueSample', (gauges) => this.#sampled(gauges)),
      cloud.events.on('alarm', (change) => {
        const status = cloud.alarms().find((a) => a.alarmName === change.alarm.alarmName);
        if (status) sink.send('alarm', this.#alarmView(status));
      }),
      cloud.events.on('log', ({ functionName, line }) => {
        const entry = outcomeEntry(functionName, line, Date.now());
        if (entry) this.#pending.push(entry);
      }),
      cloud.logStore.subscribe((event) => {
        const entry = logEntry(event);
        if (entry) this.#pendingLogs.push(entry);
      }),
    ];
    this.#flushTimer = setInterval(() => this.#flush(), OUTCOME_FLUSH_MS);
    this.#flushTimer.unref();
  }

  queues(): Record<string, QueueSample[]> {
    return Object.fromEntries(this.#queues);
  }

  outcomes(): OutcomeEntry[] {
    return [...this.#outcomes, ...this.#pending];
  }

  /** The newest lines across functions (LOG_ENTRIES_SENT of them), oldest first. */
  logs(): LogEntry[] {
    const entries: LogEntry[] = [];
    const stored = this.cloud.logStore.all();
    for (let i = stored.length - 1; i >= 0 && entries.length < LOG_ENTRIES_SENT; i--) {
      const entry = logEntry(stored[i]!);
      if (entry) entries.push(entry);
    }
    return entries.reverse();
  }

  alarms(): AlarmView[] {
    return this.cloud.alarms().map((a) => this.#alarmView(a));
  }

  functions(): Record<string, FunctionView> {
    const lambdas = this.cloud.lambdas;
    return Object.fromEntries(
      lambdas.functionNames().map((name) => {
        const s = lambdas.stats(name);
        const view: FunctionView = {
          invocations: s.invocations,
          errors: s.errors,
          throttles: s.throttles,
          timeouts: s.timeouts,
          crashes: s.crashes,
          averageDurationMs: s.invocations ? s.totalDurationMs / s.invocations : 0,
        };
        return [name, view];
      }),
    );
  }

  stop(): void {
    clearInterval(this.#flushTimer);
    for (const off of this.#unsubscribe) off();
  }

  #sampled(gauges: ReadonlyMap<string, QueueGauges>): void {
    const t = Date.now();
    const queues: Record<string, Omit<QueueSample, 't'>> = {};
    for (const [name, g] of gauges) {
      const sample = {
        visible: g.visible,
        notVisible: g.notVisible,
        delayed: g.delayed,
        ageOfOldestSeconds: g.ageOfOldestSeconds,
      };
      queues[name] = sample;
      let series = this.#queues.get(name);
      if (!series) {
        series = [];
        this.#queues.set(name, series);
      }
      series.push({ t, ...sample });
      const keepFrom = series.findIndex((s) => s.t >= t - QUEUE_HISTORY_MS);
      if (keepFrom > 0) series.splice(0, keepFrom);
    }
    this.sink.send('sample', { t, queues, functions: this.functions() });
  }

  #flush(): void {
    if (this.#pendingLogs.length > 0) {
      this.sink.send('logs', this.#pendingLogs);
      this.#pendingLogs = [];
    }
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#outcomes.push(...batch);
    if (this.#outcomes.length > OUTCOMES_KEPT) this.#outcomes.splice(0, this.#outcomes.length - OUTCOMES_KEPT);
    this.sink.send('outcomes', batch);
  }

  #alarmView(a: AlarmStatus): AlarmView {
    return {
      name: a.alarmName,
      state: a.state,
      reason: a.reason,
      history: a.history.map((h) => ({
        time: h.time,
        wallT: Math.round(this.cloud.clock.wallMs(Date.parse(h.time))),
        oldState: h.oldState,
        newState: h.newState,
        reason: h.reason,
      })),
      watches: this.watches.get(a.alarmName) ?? [],
      ...(a.notEvaluated ? { notEvaluated: a.notEvaluated } : {}),
    };
  }
}
