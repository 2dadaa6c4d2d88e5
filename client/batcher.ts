import type { LimitFunction } from 'p-limit';
import { LIMITS } from '../topology/internal.ts';
import { PayloadTooLargeError, PublishFailedError } from './errors.ts';
import { backoffMs, isRetryableCallError } from './retry.ts';

export type EntryOutcome =
  | { readonly ok: true; readonly messageId: string }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly retryable: boolean };

/** Sends one batch of requests; returns an outcome per request (same order) or throws when the whole call failed. */
export type SendBatch<Request> = (requests: readonly Request[]) => Promise<EntryOutcome[]>;

/** Time as the batcher sees it: injected so that tests step linger and backoff instead of waiting them out. */
export interface BatcherClock {
  now(): number;
  /** Runs `task` after `ms`; the returned function cancels it. */
  after(ms: number, task: () => void): () => void;
}

const systemClock: BatcherClock = {
  now: () => Date.now(),
  after: (ms, task) => {
    const timer = setTimeout(task, ms);
    return () => clearTimeout(timer);
  },
};

export interface BatcherSettings {
  readonly maxBatchBytes: number;
  readonly lingerMs: number;
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** @default systemClock */
  readonly clock?: BatcherClock;
}

/** What the caller says about a message when it takes its place in line. */
export interface LinePlace {
  /** Publish order across the publisher: the line is kept in this order. */
  readonly seq: number;
  /** FIFO message group; undefined for standard destinations. */
  readonly groupId: string | undefined;
  /** For errors: `eventType` and where it goes. */
  readonly label: string;
}

/** A message's place in line: make it ready once prepared, or cancel it instead; `sent` settles with its message id. */
export interface Reservation<Request> {
  readonly sent: Promise<string>;
  ready(request: Request, size: number): void;
  cancel(error: Error): void;
}

/** The batcher's own record of a message in line (never handed out, so nobody else changes it). */
interface Entry<Request> extends LinePlace {
  /** Undefined while the message is still being prepared (claim-check upload, backpressure wait). */
  request: Request | undefined;
  size: number;
  attempts: number;
  notBefore: number;
  /** Failed with its FIFO group (or cancelled) while still in preparation: a late `ready` is ignored. */
  left: boolean;
  readonly resolve: (messageId: string) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Collects messages for one destination into batches of up to 10 entries and `maxBatchBytes`.
 * FIFO: a batch holds at most one message per group and a group's next message waits until the
 * previous one was accepted (or failed for good), so retries never let a message overtake.
 * Batches in flight are bounded by `slots`, a p-limit shared by all destinations of a publisher;
 * a batch is formed when its slot starts, so messages arriving meanwhile still join it.
 */
export class Batcher<Request> {
  readonly #pending: Entry<Request>[] = [];
  readonly #busyGroups = new Set<string>();
  readonly #drained: (() => void)[] = [];
  readonly #clock: BatcherClock;
  #timer: { readonly due: number; readonly cancel: () => void } | undefined;
  /** Slots asked of `slots` that have not started yet (at most one at a time). */
  #claims = 0;
  #inFlight = 0;

  constructor(
    private readonly send: SendBatch<Request>,
    private readonly slots: LimitFunction,
    private readonly settings: BatcherSettings,
  ) {
    this.#clock = settings.clock ?? systemClock;
  }

  /**
   * Takes the message's place in line at publish time, before it is prepared, so that a FIFO group's
   * later messages cannot overtake one that is still uploading its claim-check or waiting on backpressure.
   */
  reserve(place: LinePlace): Reservation<Request> {
    let entry!: Entry<Request>;
    const sent = new Promise<string>((resolve, reject) => {
      entry = { ...place, request: undefined, size: 0, attempts: 0, notBefore: 0, left: false, resolve, reject };
    });
    this.#insert(entry);
    return {
      sent,
      ready: (request, size) => this.#ready(entry, request, size),
      cancel: (error) => this.#cancel(entry, error),
    };
  }

  /** Sends what is ready now, without waiting for the linger to end. */
  flushNow(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#flush();
  }

  /** Resolves once nothing is pending or in flight. */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  #ready(entry: Entry<Request>, request: Request, size: number): void {
    if (entry.left) return;
    if (size > this.settings.maxBatchBytes) {
      // No batch could ever carry it: left in line, it would wait (and hold its FIFO group) forever.
      this.#leave(
        entry,
        new PayloadTooLargeError(
          `${entry.label} is ${size} bytes, more than a batch request may carry (${this.settings.maxBatchBytes}); it was not sent. ` +
            'Fix: shrink the payload or its attributes.',
        ),
      );
      return;
    }
    entry.request = request;
    entry.size = size;
    this.#schedule(this.#pending.length >= LIMITS.batchEntriesMax ? 0 : this.settings.lingerMs);
  }

  /**
   * The reserved message could not be prepared (claim-check upload, backpressure): it leaves the line,
   * and so do the later messages of its FIFO group, as after a send failure.
   */
  #cancel(entry: Entry<Request>, error: Error): void {
    // Once ready, the message belongs to the send path: a late cancel must not fail its FIFO group.
    if (entry.left || entry.request !== undefined) return;
    this.#leave(entry, error);
  }

  /** A message still in line fails for good: it leaves, and so do the later messages of its FIFO group. */
  #leave(entry: Entry<Request>, error: Error): void {
    entry.left = true;
    const index = this.#pending.indexOf(entry);
    if (index >= 0) this.#pending.splice(index, 1);
    entry.reject(error);
    if (entry.groupId !== undefined) this.#failGroup(entry, error);
    if (this.#pending.length > 0) this.#schedule(0);
    else this.#notifyIfIdle();
  }

  #isIdle(): boolean {
    return this.#pending.length === 0 && this.#inFlight === 0 && this.#claims === 0;
  }

  #notifyIfIdle(): void {
    if (this.#isIdle()) for (const done of this.#drained.splice(0)) done();
  }

  #insert(entry: Entry<Request>): void {
    let i = this.#pending.length;
    while (i > 0 && this.#pending[i - 1]!.seq > entry.seq) i--;
    this.#pending.splice(i, 0, entry);
  }

  #schedule(delayMs: number): void {
    const due = this.#clock.now() + delayMs;
    if (this.#timer) {
      if (due >= this.#timer.due) return;
      this.#timer.cancel();
    }
    const cancel = this.#clock.after(delayMs, () => {
      this.#timer = undefined;
      this.#flush();
    });
    this.#timer = { due, cancel };
  }

  /** The next batch in line order, without taking it: ready, not backing off, one per free FIFO group, within the byte limit. */
  #nextBatch(now: number): Entry<Request>[] {
    const batch: Entry<Request>[] = [];
    const seenGroups = new Set<string>();
    let bytes = 0;
    for (const entry of this.#pending) {
      if (batch.length === LIMITS.batchEntriesMax) break;
      const group = entry.groupId;
      const blocked = group !== undefined && (this.#busyGroups.has(group) || seenGroups.has(group));
      if (group !== undefined) seenGroups.add(group);
      if (
        blocked ||
        entry.request === undefined ||
        entry.notBefore > now ||
        bytes + entry.size > this.settings.maxBatchBytes
      )
        continue;
      batch.push(entry);
      bytes += entry.size;
    }
    return batch;
  }

  /** Asks for a slot when a batch could go; entries waiting out a backoff get a timer. */
  #flush(): void {
    const now = this.#clock.now();
    if (this.#claims === 0 && this.#nextBatch(now).length > 0) {
      this.#claims++;
      void this.slots(() => this.#sendInSlot());
    }
    // Entries behind a busy group wait for its batch; those backing off need a timer.
    const backoffs = this.#pending.filter((e) => e.notBefore > now).map((e) => e.notBefore);
    if (backoffs.length > 0) this.#schedule(Math.ceil(Math.min(...backoffs) - now));
  }

  /** Runs in a slot: takes the batch as it is now, asks for the next slot if more could go, and sends. */
  async #sendInSlot(): Promise<void> {
    this.#claims--;
    const batch = this.#nextBatch(this.#clock.now());
    for (const entry of batch) {
      this.#pending.splice(this.#pending.indexOf(entry), 1);
      if (entry.groupId !== undefined) this.#busyGroups.add(entry.groupId);
    }
    if (batch.length === 0) {
      this.#notifyIfIdle();
      return;
    }
    this.#inFlight++;
    this.#flush();
    let outcomes: EntryOutcome[];
    try {
      outcomes = await this.send(batch.map((e) => e.request!));
    } catch (error) {
      const e = error as Error;
      const retryable = isRetryableCallError(error);
      outcomes = batch.map(() => ({ ok: false, code: e.name, message: e.message, retryable }));
    }
    for (const [i, entry] of batch.entries()) this.#settle(entry, outcomes[i]!);
    for (const entry of batch) if (entry.groupId !== undefined) this.#busyGroups.delete(entry.groupId);
    this.#inFlight--;
    if (this.#pending.length > 0) this.#flush();
    else this.#notifyIfIdle();
  }

  #settle(entry: Entry<Request>, outcome: EntryOutcome): void {
    entry.attempts++;
    if (outcome.ok) {
      entry.resolve(outcome.messageId);
      return;
    }
    if (outcome.retryable && entry.attempts < this.settings.maxAttempts) {
      entry.notBefore =
        this.#clock.now() + backoffMs(entry.attempts, this.settings.backoffBaseMs, this.settings.backoffMaxMs);
      this.#insert(entry);
      return;
    }
    const why = outcome.retryable ? `gave up after ${entry.attempts} attempts` : 'rejected by the service';
    const error = new PublishFailedError(
      `${entry.label} failed: ${outcome.code}: ${outcome.message} (${why}).`,
      outcome.code,
      entry.attempts,
    );
    entry.reject(error);
    if (entry.groupId !== undefined) this.#failGroup(entry, error);
  }

  /**
   * A FIFO message failed for good: its group's *later* messages are not sent, so none overtakes it;
   * earlier ones (still being prepared when a later one fails) go on. Each carries the first failure as its `cause`.
   */
  #failGroup(failed: Entry<Request>, cause: Error): void {
    const rest = this.#pending.filter((e) => e.groupId === failed.groupId && e.seq > failed.seq);
    for (const entry of rest) {
      this.#pending.splice(this.#pending.indexOf(entry), 1);
      entry.left = true;
      entry.reject(
        new PublishFailedError(
          `${entry.label} was not sent: an earlier message of FIFO group '${failed.groupId}' failed, ` +
            `and sending this one would break the group's order. Fix: resolve the first failure, then publish again.`,
          'GroupOrderBroken',
          entry.attempts,
          { cause },
        ),
      );
    }
  }
}
