import { type LoggedOutcomeKind, parseOutcomeLine } from '../../contracts/index.ts';

/** Record outcomes per kind, as the consumer runtime logs them (contracts/outcome-log.ts). */
export type OutcomeCounts = Partial<Record<LoggedOutcomeKind, number>>;

/** Counts record outcomes per consumer from the functions' log lines. */
export class OutcomeCounter {
  readonly #byConsumer = new Map<string, OutcomeCounts>();
  #firstOutcomeAt: number | undefined;

  /** Feed one log line; lines that are not record outcomes are ignored. */
  readonly onLog = (_functionName: string, line: string): void => {
    const entry = parseOutcomeLine(line);
    if (!entry) return;
    this.#firstOutcomeAt ??= performance.now();
    const counts = this.#byConsumer.get(entry.consumer) ?? {};
    counts[entry.outcome] = (counts[entry.outcome] ?? 0) + 1;
    this.#byConsumer.set(entry.consumer, counts);
  };

  counts(consumer: string): OutcomeCounts {
    return { ...this.#byConsumer.get(consumer) };
  }

  consumers(): string[] {
    return [...this.#byConsumer.keys()].sort();
  }

  total(): number {
    let sum = 0;
    for (const counts of this.#byConsumer.values()) for (const n of Object.values(counts)) sum += n ?? 0;
    return sum;
  }

  /** performance.now() of the first record outcome, if any. */
  get firstOutcomeAt(): number | undefined {
    return this.#firstOutcomeAt;
  }
}
