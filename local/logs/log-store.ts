/** One line a function wrote, as CloudWatch Logs keeps it (the time is wall-clock, like Lambda's). */
export interface StoredLogEvent {
  /** Increasing across the store: a FilterLogEvents page token and the event id. */
  readonly sequence: number;
  /** Milliseconds since the epoch, wall clock. */
  readonly timestamp: number;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly functionName: string;
  readonly message: string;
}

/** Lines kept per log group (one per function); older lines are dropped first. */
export const LOG_EVENTS_KEPT_PER_GROUP = 2_000;

export interface LogQuery {
  readonly logGroupName: string;
  /** Inclusive, ms since the epoch. @default - the oldest kept */
  readonly startTime?: number;
  /** Inclusive, ms since the epoch. @default - the newest */
  readonly endTime?: number;
  /** Only events after this sequence (the previous page's last). @default - from the first */
  readonly afterSequence?: number;
  readonly matches?: (message: string) => boolean;
  readonly limit: number;
}

/** The functions' log lines, a bounded buffer per log group, for the logs API and the console. */
export class FunctionLogStore {
  readonly #groups = new Map<string, StoredLogEvent[]>();
  readonly #listeners = new Set<(event: StoredLogEvent) => void>();
  #sequence = 0;

  constructor(private readonly keptPerGroup = LOG_EVENTS_KEPT_PER_GROUP) {}

  append(logGroupName: string, functionName: string, message: string, timestamp = Date.now()): StoredLogEvent {
    const day = new Date(timestamp).toISOString().slice(0, 10).replaceAll('-', '/');
    const event: StoredLogEvent = {
      sequence: ++this.#sequence,
      timestamp,
      logGroupName,
      logStreamName: `${day}/[$LATEST]local`,
      functionName,
      message,
    };
    const events = this.#groups.get(logGroupName) ?? [];
    events.push(event);
    if (events.length > this.keptPerGroup) events.shift();
    this.#groups.set(logGroupName, events);
    for (const listener of this.#listeners) listener(event);
    return event;
  }

  has(logGroupName: string): boolean {
    return this.#groups.has(logGroupName);
  }

  /** Registers a log group before its function writes anything (a function that never ran has one too). */
  declare(logGroupName: string): void {
    if (!this.#groups.has(logGroupName)) this.#groups.set(logGroupName, []);
  }

  groupNames(): string[] {
    return [...this.#groups.keys()].sort();
  }

  /** Every kept event of every group, oldest first. */
  all(): StoredLogEvent[] {
    return [...this.#groups.values()].flat().sort((a, b) => a.sequence - b.sequence);
  }

  /** Events of one group in order, and whether more matched than `limit`. */
  query(q: LogQuery): { events: StoredLogEvent[]; more: boolean } {
    const events: StoredLogEvent[] = [];
    for (const e of this.#groups.get(q.logGroupName) ?? []) {
      if (q.afterSequence !== undefined && e.sequence <= q.afterSequence) continue;
      if (q.startTime !== undefined && e.timestamp < q.startTime) continue;
      if (q.endTime !== undefined && e.timestamp > q.endTime) continue;
      if (q.matches && !q.matches(e.message)) continue;
      if (events.length === q.limit) return { events, more: true };
      events.push(e);
    }
    return { events, more: false };
  }

  /** Calls `listener` with every event appended from now on; returns the unsubscribe function. */
  subscribe(listener: (event: StoredLogEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
