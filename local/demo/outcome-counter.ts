/** Record outcomes the consumer runtime logs (`{"message":"record outcome","consumer":…,"outcome":…}`). */
export type OutcomeCounts = Record<string, number>;

/** Counts record outcomes per consumer from the functions' log lines. */
export class OutcomeCounter {
  readonly #byConsumer = new Map<string, OutcomeCounts>();
  #firstOutcomeAt: number | undefined;

  /** Feed one log line; lines that are not record outcomes are ignored. */
  readonly onLog = (_functionName: string, line: string): void => {
    if (!line.includes('"record outcome"')) return;
    try {
      const entry = JSON.parse(line) as { message?: string; consumer?: string; outcome?: string };
      if (entry.message !== 'record outcome' || !entry.consumer || !entry.outcome) return;
      this.#firstOutcomeAt ??= performance.now();
      const counts = this.#byConsumer.get(entry.consumer) ?? {};
      counts[entry.outcome] = (counts[entry.outcome] ?? 0) + 1;
      this.#byConsumer.set(entry.consumer, counts);
    } catch {
      // Not JSON: a plain log line.
    }
  };

  counts(consumer: string): OutcomeCounts {
    return { ...this.#byConsumer.get(consumer) };
  }

  consumers(): string[] {
    return [...this.#byConsumer.keys()].sort();
  }

  total(): number {
    let sum = 0;
    for (const counts of this.#byConsumer.values()) for (const n of Object.values(counts)) sum += n;
    return sum;
  }

  /** performance.now() of the first record outcome, if any. */
  get firstOutcomeAt(): number | undefined {
    return this.#firstOutcomeAt;
  }
}
