import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { InvocationResult } from '../lambda/function-definition.ts';
import { batchesOf } from '../../contracts/index.ts';
import { LIMITS } from '../../topology/internal.ts';
import { LOCAL_DEFAULTS } from '../limits.ts';
import { interpretBatchResponse, type BatchOutcome } from './batch-response.ts';
import { RecordFilter } from './filter-criteria.ts';
import { toLambdaRecord } from './records.ts';
import type { VisibilityChanges } from './visibility-changes.ts';

/** One AWS::Lambda::EventSourceMapping on an SQS queue, resolved and validated. */
export interface EventSourceMappingConfig {
  readonly id: string;
  readonly functionName: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly batchSize: number;
  /** MaximumBatchingWindowInSeconds in real ms (after time scaling). */
  readonly batchingWindowMs: number;
  readonly reportBatchItemFailures: boolean;
  /** Concurrent batches: ScalingConfig.MaximumConcurrency, ProvisionedPollerConfig.MinimumPollers, else the local default. */
  readonly concurrency: number;
  /** FilterCriteria patterns (JSON); records matching none are deleted without an invocation. @default [] */
  readonly filterPatterns?: readonly string[];
  /**
   * When the time scale shortens the queue's visibility timeout below the function's timeout: a
   * received batch stays hidden `holdSeconds` (Lambda's init budget, the function's timeout and a second, real time), so
   * it is never handed out again while its invocation may still run — as the template's visibility
   * timeout (≥ the function timeout) guarantees on AWS; its failed records then get `retrySeconds`
   * (the scaled visibility timeout) back, unless the function changed their visibility itself.
   * @default - the queue's own visibility timeout
   */
  readonly visibility?: { readonly holdSeconds: number; readonly retrySeconds: number };
}

export interface PollerDependencies {
  readonly sqs: SQSClient;
  readonly region: string;
  invoke(functionName: string, event: unknown): Promise<InvocationResult>;
  /**
   * Runs one lane's receive-and-invoke once the function has an execution environment free, so a
   * received batch never waits in hand for one (its visibility timeout would run out, and every
   * wait would cost its records a receive). @default - no wait
   */
  whenEnvironmentFree?<T>(functionName: string, work: () => Promise<T>): Promise<T>;
  /** Called after each batch (for progress and tests). */
  onBatch?(report: BatchReport): void;
  /** Visibility changes clients made (a function deferring a record): never undone. @default - none noted */
  readonly visibilityChanges?: VisibilityChanges;
}

export interface BatchReport {
  readonly mappingId: string;
  readonly functionName: string;
  readonly messageIds: readonly string[];
  readonly outcome: BatchOutcome;
  /** Records the poller deleted after the invocation (a delete can fail: its message comes back). */
  readonly deleted: number;
}

export interface MappingStats {
  batches: number;
  records: number;
  deleted: number;
  /** Records deleted because they matched no filter pattern. */
  filteredOut: number;
  failedBatches: number;
  partialBatches: number;
  /** Most batches in flight at once (≤ concurrency). */
  peakConcurrentBatches: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const WINDOW_POLL_INTERVAL_MS = 20;
const ERROR_BACKOFF_MS = 250;

/** Polls one queue for one function the way the Lambda ESM does: N concurrent batches, long polling, partial-failure rules. */
export class EventSourcePoller {
  readonly stats: MappingStats = {
    batches: 0,
    records: 0,
    deleted: 0,
    filteredOut: 0,
    failedBatches: 0,
    partialBatches: 0,
    peakConcurrentBatches: 0,
  };
  readonly #abort = new AbortController();
  /** Aborted by pause() so long polls in progress return at once; replaced by resume(). */
  #pauseSignal = new AbortController();
  /**
   * Either ends a receive: one composite per pause epoch, shared by every receive (one
   * `AbortSignal.any` per receive made each abort listener walk a growing set of dependants).
   */
  #receiveSignal = AbortSignal.any([this.#abort.signal, this.#pauseSignal.signal]);
  #paused = false;
  #resumed: Promise<void> = Promise.resolve();
  #resume: () => void = () => undefined;
  #lanes: Promise<void>[] = [];
  #inFlight = 0;
  readonly #filter: RecordFilter;

  constructor(
    readonly config: EventSourceMappingConfig,
    private readonly deps: PollerDependencies,
  ) {
    this.#filter = new RecordFilter(config.filterPatterns ?? []);
  }

  start(): void {
    this.#lanes = Array.from({ length: this.config.concurrency }, () => this.#lane());
  }

  /** Stops receiving; batches being processed finish (or end when their worker is terminated). */
  async stop(): Promise<void> {
    this.#abort.abort();
    await Promise.all(this.#lanes);
  }

  get stopped(): boolean {
    return this.#abort.signal.aborted;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Batches handed to the function and not yet settled (deleted, given back, reported). */
  get inFlightBatches(): number {
    return this.#inFlight;
  }

  /** Like disabling the mapping (UpdateEventSourceMapping Enabled=false): no new batches until resume(). */
  pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#resumed = new Promise((resolve) => (this.#resume = resolve));
    this.#pauseSignal.abort();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#pauseSignal = new AbortController();
    this.#receiveSignal = AbortSignal.any([this.#abort.signal, this.#pauseSignal.signal]);
    this.#resume();
  }

  async #receive(max: number, waitSeconds: number, signal: AbortSignal): Promise<Message[]> {
    const { Messages = [] } = await this.deps.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.config.queueUrl,
        MaxNumberOfMessages: Math.min(max, LIMITS.batchEntriesMax),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: signal },
    );
    await this.#hold(Messages);
    return Messages;
  }

  /** One batch: a long poll, then more receives until BatchSize or the batching window ends. */
  async #gather(signal: AbortSignal): Promise<Message[]> {
    const { batchSize, batchingWindowMs } = this.config;
    const batch = await this.#receive(batchSize, LOCAL_DEFAULTS.esmWaitTimeSeconds, signal);
    if (batch.length === 0 || batch.length >= batchSize || batchingWindowMs <= 0) return batch;
    const deadline = Date.now() + batchingWindowMs;
    while (batch.length < batchSize && Date.now() < deadline && !this.stopped) {
      let more: Message[];
      try {
        more = await this.#receive(batchSize - batch.length, 0, signal);
      } catch {
        break; // paused, stopped or a failed receive: what is in hand still goes to the function
      }
      if (more.length > 0) batch.push(...more);
      else await sleep(Math.max(0, Math.min(WINDOW_POLL_INTERVAL_MS, deadline - Date.now())));
    }
    return batch;
  }

  async #lane(): Promise<void> {
    while (!this.stopped) {
      if (this.#paused) {
        await Promise.race([
          this.#resumed,
          new Promise((resolve) => this.#abort.signal.addEventListener('abort', resolve, { once: true })),
        ]);
        continue;
      }
      const { whenEnvironmentFree } = this.deps;
      const turn = () => this.#turn();
      const failed = await (whenEnvironmentFree ? whenEnvironmentFree(this.config.functionName, turn) : turn());
      if (failed && !this.stopped && !this.#paused) await sleep(ERROR_BACKOFF_MS);
    }
  }

  /** One receive-and-invoke; true when the receive failed. */
  async #turn(): Promise<boolean> {
    let messages: Message[];
    try {
      messages = await this.#gather(this.#receiveSignal);
    } catch {
      return true;
    }
    if (messages.length === 0) return false;
    const passed = await this.#dropFiltered(messages);
    if (passed.length > 0) await this.#process(passed);
    return false;
  }

  /** Like Lambda: records that match no filter are deleted and never reach the function. */
  async #dropFiltered(messages: Message[]): Promise<Message[]> {
    if (!this.#filter.active) return messages;
    const { queueArn } = this.config;
    const passed: Message[] = [];
    const dropped: Message[] = [];
    for (const m of messages)
      (this.#filter.matches(toLambdaRecord(m, queueArn, this.deps.region)) ? passed : dropped).push(m);
    // Awaited before the `+=`: concurrent lanes would otherwise add to a stale count.
    const filteredOut = dropped.length > 0 ? await this.#delete(dropped) : 0;
    this.stats.filteredOut += filteredOut;
    return passed;
  }

  async #process(messages: Message[]): Promise<void> {
    const { functionName, queueArn, reportBatchItemFailures } = this.config;
    this.#inFlight++;
    this.stats.peakConcurrentBatches = Math.max(this.stats.peakConcurrentBatches, this.#inFlight);
    try {
      const event = { Records: messages.map((m) => toLambdaRecord(m, queueArn, this.deps.region)) };
      const result = await this.deps.invoke(functionName, event);
      const ids = messages.map((m) => m.MessageId!);
      const outcome = interpretBatchResponse(result, ids, reportBatchItemFailures);
      this.stats.batches++;
      this.stats.records += messages.length;
      if (outcome.kind === 'failed') this.stats.failedBatches++;
      if (outcome.kind === 'partial') this.stats.partialBatches++;
      const done =
        outcome.kind === 'success'
          ? messages
          : outcome.kind === 'partial'
            ? messages.filter((m) => !outcome.failedMessageIds.has(m.MessageId!))
            : [];
      const deleted = await this.#delete(done);
      this.stats.deleted += deleted;
      const removed = new Set(done);
      await this.#giveBack(messages.filter((m) => !removed.has(m)));
      this.deps.onBatch?.({ mappingId: this.config.id, functionName, messageIds: ids, outcome, deleted });
    } finally {
      this.#inFlight--;
    }
  }

  /**
   * Hides a received batch for the invocation's longest run. Done after the receive, not in it: a
   * receive aborted by pause() or stop() loses its handles, and those messages then come back
   * after the queue's own (scaled) timeout.
   */
  async #hold(messages: Message[]): Promise<void> {
    if (this.config.visibility) await this.#setVisibility(messages, this.config.visibility.holdSeconds);
  }

  /** Failed records of a held batch come back after the queue's (scaled) visibility timeout. */
  async #giveBack(messages: Message[]): Promise<void> {
    const visibility = this.config.visibility;
    if (!visibility) return;
    await this.#setVisibility(
      messages.filter((m) => !this.deps.visibilityChanges?.take(m.ReceiptHandle!)),
      visibility.retrySeconds,
    );
  }

  async #setVisibility(messages: Message[], seconds: number): Promise<void> {
    for (const chunk of batchesOf(messages)) {
      await this.deps.sqs
        .send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.config.queueUrl,
            Entries: chunk.map((m, n) => ({
              Id: String(n),
              ReceiptHandle: m.ReceiptHandle!,
              VisibilityTimeout: seconds,
            })),
          }),
        )
        .catch(() => undefined); // the queue's own timeout then applies
    }
  }

  /** Deletes the messages; returns how many were deleted. */
  async #delete(messages: Message[]): Promise<number> {
    let deleted = 0;
    for (const chunk of batchesOf(messages)) {
      try {
        const { Successful = [] } = await this.deps.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.config.queueUrl,
            Entries: chunk.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
        deleted += Successful.length;
      } catch {
        // Like Lambda: an undeleted message comes back after its visibility timeout.
      }
    }
    return deleted;
  }
}
