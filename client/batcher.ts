import { LIMITS } from '../topology/limits.ts';
import { backoffMs, isRetryableCallError } from './retry.ts';
import { PublishFailedError } from './errors.ts';

/** One message waiting to be sent, with the promise its caller holds. */
export interface PendingEntry<Request> {
  readonly seq: number;
  /** Undefined while the message is still being prepared (claim-check upload, backpressure wait). */
  request: Request | undefined;
  size: number;
  /** FIFO message group; undefined for standard destinations. */
  readonly groupId: string | undefined;
  /** For messages: `eventType` and where it goes. */
  readonly label: string;
  attempts: number;
  notBefore: number;
  readonly resolve: (messageId: string) => void;
  readonly reject: (error: Error) => void;
}

export type EntryOutcome =
  | { readonly ok: true; readonly messageId: string }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly retryable: boolean };

/** Sends one batch; returns an outcome per entry (same order) or throws when the whole call failed. */
export type SendBatch<Request> = (entries: readonly PendingEntry<Request>[]) => Promise<EntryOutcome[]>;

/** Batches shared by all destinations of one publisher. */
export class InFlightLimit {
  active = 0;
  private readonly idle: (() => void)[] = [];

  constructor(readonly max: number) {}

  get available(): boolean {
    return this.active < this.max;
  }

  release(): void {
    this.active--;
    for (const wake of this.idle.splice(0)) wake();
  }

  /** Called once when a slot frees up. */
  onRelease(wake: () => void): void {
    this.idle.push(wake);
  }
}

export interface BatcherSettings {
  readonly fifo: boolean;
  readonly maxBatchBytes: number;
  readonly lingerMs: number;
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
}

/**
 * Collects messages for one destination into batches of up to 10 entries and `maxBatchBytes`.
 * FIFO: a batch holds at most one message per group and a group's next message waits until the
 * previous one was accepted (or failed for good), so retries never let a message overtake.
 */
export class Batcher<Request> {
  private readonly pending: PendingEntry<Request>[] = [];
  private readonly busyGroups = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private timerDue = 0;
  private waitingForSlot = false;
  private inFlight = 0;
  private readonly drained: (() => void)[] = [];
  /** Reserved messages failed with their FIFO group while still being prepared. */
  private readonly leftLine = new WeakSet<PendingEntry<Request>>();

  constructor(
    private readonly send: SendBatch<Request>,
    private readonly limit: InFlightLimit,
    private readonly settings: BatcherSettings,
  ) {}

  /**
   * Takes the message's place in line at publish time, before it is prepared, so that a FIFO group's
   * later messages cannot overtake one that is still uploading its claim-check or waiting on backpressure.
   */
  reserve(entry: PendingEntry<Request>): void {
    this.insert(entry);
  }

  /** The reserved message is ready to send (ignored when it already left the line: its group failed). */
  ready(entry: PendingEntry<Request>, request: Request, size: number): void {
    if (this.leftLine.has(entry)) return;
    entry.request = request;
    entry.size = size;
    this.schedule(this.pending.length >= LIMITS.batchEntriesMax ? 0 : this.settings.lingerMs);
  }

  /**
   * The reserved message could not be prepared (claim-check upload, backpressure): it leaves the line,
   * and so do the later messages of its FIFO group, as after a send failure.
   */
  cancel(entry: PendingEntry<Request>, error: Error): void {
    if (this.leftLine.has(entry)) return;
    const index = this.pending.indexOf(entry);
    if (index >= 0) this.pending.splice(index, 1);
    entry.reject(error);
    if (entry.groupId !== undefined) this.failGroup(entry);
    if (this.pending.length > 0) this.schedule(0);
    else if (this.inFlight === 0) for (const done of this.drained.splice(0)) done();
  }

  /** Resolves once nothing is pending or in flight. */
  idle(): Promise<void> {
    if (this.pending.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  private insert(entry: PendingEntry<Request>): void {
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1]!.seq > entry.seq) i--;
    this.pending.splice(i, 0, entry);
  }

  private schedule(delayMs: number): void {
    const due = Date.now() + delayMs;
    if (this.timer) {
      if (due >= this.timerDue) return;
      clearTimeout(this.timer);
    }
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, delayMs);
  }

  private takeBatch(now: number): PendingEntry<Request>[] {
    const batch: PendingEntry<Request>[] = [];
    const seenGroups = new Set<string>();
    let bytes = 0;
    for (const entry of this.pending) {
      if (batch.length === LIMITS.batchEntriesMax) break;
      const group = entry.groupId;
      const blocked = group !== undefined && (this.busyGroups.has(group) || seenGroups.has(group));
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
    for (const entry of batch) {
      this.pending.splice(this.pending.indexOf(entry), 1);
      if (entry.groupId !== undefined) this.busyGroups.add(entry.groupId);
    }
    return batch;
  }

  private flush(): void {
    const now = Date.now();
    while (this.limit.available) {
      const batch = this.takeBatch(now);
      if (batch.length === 0) break;
      this.limit.active++;
      this.inFlight++;
      void this.run(batch);
    }
    if (this.pending.length === 0) return;
    if (!this.limit.available && !this.waitingForSlot) {
      this.waitingForSlot = true;
      this.limit.onRelease(() => {
        this.waitingForSlot = false;
        this.flush();
      });
    }
    // Entries waiting out a backoff need a timer; entries behind a busy group wait for its batch.
    const backoffs = this.pending.filter((e) => e.notBefore > now).map((e) => e.notBefore);
    if (backoffs.length > 0) this.schedule(Math.ceil(Math.min(...backoffs) - now));
  }

  private async run(batch: PendingEntry<Request>[]): Promise<void> {
    let outcomes: EntryOutcome[];
    try {
      outcomes = await this.send(batch);
    } catch (error) {
      const e = error as Error;
      const retryable = isRetryableCallError(error);
      outcomes = batch.map(() => ({ ok: false, code: e.name, message: e.message, retryable }));
    }
    for (const [i, entry] of batch.entries()) this.settle(entry, outcomes[i]!);
    for (const entry of batch) if (entry.groupId !== undefined) this.busyGroups.delete(entry.groupId);
    this.inFlight--;
    this.limit.release();
    if (this.pending.length > 0) this.flush();
    else if (this.inFlight === 0) for (const done of this.drained.splice(0)) done();
  }

  private settle(entry: PendingEntry<Request>, outcome: EntryOutcome): void {
    entry.attempts++;
    if (outcome.ok) {
      entry.resolve(outcome.messageId);
      return;
    }
    if (outcome.retryable && entry.attempts < this.settings.maxAttempts) {
      entry.notBefore = Date.now() + backoffMs(entry.attempts, this.settings.backoffBaseMs, this.settings.backoffMaxMs);
      this.insert(entry);
      return;
    }
    const why = outcome.retryable ? `gave up after ${entry.attempts} attempts` : 'rejected by the service';
    entry.reject(
      new PublishFailedError(
        `${entry.label} failed: ${outcome.code}: ${outcome.message} (${why}).`,
        outcome.code,
        entry.attempts,
      ),
    );
    if (entry.groupId !== undefined) this.failGroup(entry);
  }

  /**
   * A FIFO message failed for good: its group's *later* messages are not sent, so none overtakes it;
   * earlier ones (still being prepared when a later one fails) go on.
   */
  private failGroup(failed: PendingEntry<Request>): void {
    const rest = this.pending.filter((e) => e.groupId === failed.groupId && e.seq > failed.seq);
    for (const entry of rest) {
      this.pending.splice(this.pending.indexOf(entry), 1);
      this.leftLine.add(entry);
      entry.reject(
        new PublishFailedError(
          `${entry.label} was not sent: an earlier message of FIFO group '${failed.groupId}' failed, ` +
            `and sending this one would break the group's order. Fix: resolve the first failure, then publish again.`,
          'GroupOrderBroken',
          entry.attempts,
        ),
      );
    }
  }
}
