/**
 * The clock CloudWatch periods (and queue timers) run on. With `timeScale` 60 a virtual minute takes
 * one real second; virtual time starts at the real time of creation.
 */
export class ScaledClock {
  readonly #realStart = Date.now();

  constructor(readonly timeScale: number) {
    if (!(timeScale > 0)) throw new RangeError(`timeScale must be a positive number (given ${timeScale})`);
  }

  /** Virtual now, ms since epoch. */
  now(): number {
    return this.#realStart + (Date.now() - this.#realStart) * this.timeScale;
  }

  /** The wall-clock time (ms since epoch) at which this clock showed `virtualMs`. */
  wallMs(virtualMs: number): number {
    return this.#realStart + (virtualMs - this.#realStart) / this.timeScale;
  }

  /** Real milliseconds that a virtual duration takes. */
  realMs(virtualMs: number): number {
    return virtualMs / this.timeScale;
  }
}
