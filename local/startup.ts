/** Ends a started part; called once. */
export type Stop = () => Promise<void> | void;

/** What a starter hands back: the part, and how to stop it (none when it dies with an earlier part). */
export interface Started<T> {
  readonly value: T;
  readonly stop?: Stop;
}

/**
 * Starts parts one after another and remembers how to stop each: `stop()` ends them newest first,
 * after a failed start as on a normal stop, and a stop that throws does not keep the others running.
 */
export class Startup {
  readonly #stops: { readonly part: string; readonly stop: Stop }[] = [];

  /** Names of the parts started so far (and not stopped), oldest first. */
  get parts(): readonly string[] {
    return this.#stops.map((s) => s.part);
  }

  async start<T>(part: string, starter: () => Promise<Started<T>> | Started<T>): Promise<T> {
    const { value, stop } = await starter();
    this.#stops.push({ part, stop: stop ?? (() => undefined) });
    return value;
  }

  async stop(): Promise<void> {
    const errors: unknown[] = [];
    for (const { stop } of this.#stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} parts of the local cloud failed to stop`);
  }

  /** Runs `body`; when it throws, stops everything started so far (newest first) and rethrows. */
  async run<T>(body: (startup: this) => Promise<T>): Promise<T> {
    try {
      return await body(this);
    } catch (error) {
      await this.stop().catch(() => undefined);
      throw error;
    }
  }
}
