import { resolveTopology, type Topology } from '../topology/index.ts';
import { DEFAULT_STAGE, LIMITS } from '../topology/internal.ts';
import { REQUEST_REPLY } from '../contracts/index.ts';
import { randomUUID } from 'node:crypto';
import pLimit, { type LimitFunction } from 'p-limit';
import type * as v from 'valibot';
import { DepthGate } from './backpressure.ts';
import { Batcher } from './batcher.ts';
import { type ClaimCheck, deleteClaimCheck, storeClaimCheck } from './claim-check.ts';
import { fitMessage } from './fit-message.ts';
import { createClients, type AwsClients } from './connection.ts';
import { PublishFailedError, PublisherClosedError, RequestReplyNotConfiguredError } from './errors.ts';
import { PUBLISHER_DEFAULTS } from './limits.ts';
import { envelope, outgoing, type PublishOptions } from './message.ts';
import { ReplyListener } from './reply-listener.ts';
import { batchSender, type OutgoingMessage } from './send.ts';
import { loadStackOutputs, type OutputsSource } from './stack-outputs.ts';
import { Target, type Destination } from './target.ts';
import { validatePayload } from './validate-payload.ts';

export type EventName<T extends Topology> = keyof T['events'] & string;
export type PayloadOf<T extends Topology, E extends EventName<T>> = v.InferInput<T['events'][E]['schema']>;

export interface PublisherOptions<T extends Topology> {
  /** The topology: event types, their schemas and destinations. */
  readonly topology: T;
  /** Where the stack's outputs (topic ARNs, queue URLs, payload bucket) are read from. */
  readonly target: OutputsSource;
  /** @default 'dev' */
  readonly stage?: string;
  /**
   * Store payloads too large for a message in the stack's payload bucket and send a pointer.
   * @default true - when the stack has a `PayloadBucketName` output
   */
  readonly claimCheck?: boolean;
  /**
   * Work queues only: visible messages above which `publish` holds back.
   * @default - no backpressure
   */
  readonly maxQueueDepth?: number;
  /** `reject` with `BackpressureError`, or `wait` until the queue drains. @default 'reject' */
  readonly backpressure?: 'reject' | 'wait';
  /** Queue depth is read at most once per interval. @default 1000 */
  readonly depthCheckIntervalMs?: number;
  /** `wait` mode: longest wait before `BackpressureError`. @default 30000 */
  readonly maxBackpressureWaitMs?: number;
  /** Milliseconds a partial batch waits for more messages. @default 5 */
  readonly lingerMs?: number;
  /** Batches in flight at once, across destinations. @default 8 */
  readonly maxInFlightBatches?: number;
  /**
   * Requests per message at most (throttling, server errors, network errors, retryable batch entries).
   * Clients passed in `clients` keep their own SDK retries, which multiply this.
   * @default 6
   */
  readonly maxAttempts?: number;
  /** First backoff step; doubles per attempt with full jitter, capped by `backoffMaxMs`. @default 50 */
  readonly backoffBaseMs?: number;
  /** @default 5000 */
  readonly backoffMaxMs?: number;
  /**
   * Reply queue of `request()`: a temporary queue (needs sqs:CreateQueue/DeleteQueue) or a dedicated one
   * this publisher alone reads.
   * @default - temporary, named `<app>-<stage>-reply-<random>`
   */
  readonly replyQueueUrl?: string;
  /**
   * Told about problems that fail no message or request, one line each: a malformed reply on the
   * reply queue (deleted), a failed reply-queue poll (retried with backoff).
   * @default - console.warn
   */
  readonly onWarning?: (message: string) => void;
  /**
   * SDK clients to use instead of ones built from the target's connection.
   * @default - created from the stack outputs' connection and destroyed on close
   */
  readonly clients?: AwsClients;
}

export interface Publisher<T extends Topology> {
  /** Validates, then queues the message for the next batch; resolves with the SNS/SQS message id. */
  publish<E extends EventName<T>>(eventType: E, payload: PayloadOf<T, E>, opts?: PublishOptions): Promise<string>;
  /** Sends a request and resolves with the consumer's `reply()` result. */
  request<E extends EventName<T>>(
    eventType: E,
    payload: PayloadOf<T, E>,
    opts?: PublishOptions & { readonly timeoutMs?: number },
  ): Promise<unknown>;
  /** Resolves once every queued message was sent or failed. */
  flush(): Promise<void>;
  /** Flushes, stops listening for replies and releases the clients. */
  close(): Promise<void>;
  readonly target: Target;
}

/** Refuses a request to a destination whose consumer answers none (it would only wait out its timeout). */
function requireRequestReply(dest: Destination, eventType: string): void {
  if (dest.requestReply) return;
  const fix =
    dest.kind === 'topic'
      ? `Fix: use publish() for '${eventType}', or send requests to a work queue with requestReply: true (topic subscribers never answer).`
      : `Fix: set requestReply: true on work queue '${dest.name}' in the topology and redeploy, or use publish().`;
  throw new RequestReplyNotConfiguredError(
    `request('${eventType}') goes to ${dest.kind === 'topic' ? 'topic' : 'work queue'} '${dest.name}', which answers no requests. ${fix}`,
  );
}

/** Reads the stack's outputs and returns a publisher for the topology's events. */
export async function createPublisher<const T extends Topology>(options: PublisherOptions<T>): Promise<Publisher<T>> {
  const stage = options.stage ?? DEFAULT_STAGE;
  const outputs = await loadStackOutputs(options.topology.name, stage, options.target);
  const target = new Target(resolveTopology(options.topology, stage), outputs);
  const clients = options.clients ?? createClients(outputs.connection);
  // The batcher retries whole batch calls itself: its clients make one SDK attempt per call, so that
  // maxAttempts counts every request a message costs. The depth gate and the reply queue keep the SDK's.
  const sending = options.clients ?? createClients(outputs.connection, { snsSqsMaxAttempts: 1 });
  return new TopologyPublisher<T>(target, clients, sending, options);
}

class TopologyPublisher<T extends Topology> implements Publisher<T> {
  /** Batches in flight at once, shared by every destination's batcher. */
  private readonly slots: LimitFunction;
  private readonly batchers = new Map<string, Batcher<OutgoingMessage>>();
  private readonly gates = new Map<string, DepthGate>();
  private readonly replies: ReplyListener;
  private readonly outstanding = new Set<Promise<unknown>>();
  private seq = 0;
  private closed = false;

  constructor(
    readonly target: Target,
    private readonly clients: AwsClients,
    private readonly sending: AwsClients,
    private readonly options: PublisherOptions<T>,
  ) {
    this.slots = pLimit(options.maxInFlightBatches ?? PUBLISHER_DEFAULTS.maxInFlightBatches);
    this.replies = new ReplyListener(
      clients.sqs,
      clients.s3,
      options.replyQueueUrl
        ? { kind: 'dedicated', url: options.replyQueueUrl }
        : { kind: 'temporary', prefix: target.topology.prefix },
      {
        onWarning: options.onWarning ?? ((message) => console.warn(message)),
        backoffBaseMs: options.backoffBaseMs ?? PUBLISHER_DEFAULTS.backoffBaseMs,
        backoffMaxMs: options.backoffMaxMs ?? PUBLISHER_DEFAULTS.backoffMaxMs,
      },
    );
  }

  private batcher(dest: Destination): Batcher<OutgoingMessage> {
    let batcher = this.batchers.get(dest.name);
    if (!batcher) {
      const o = this.options;
      batcher = new Batcher(batchSender(dest, this.sending), this.slots, {
        maxBatchBytes:
          dest.kind === 'topic' ? Math.max(LIMITS.snsBatchBytesMax, dest.maxMessageBytes) : LIMITS.sqsBatchBytesMax,
        lingerMs: o.lingerMs ?? PUBLISHER_DEFAULTS.lingerMs,
        maxAttempts: o.maxAttempts ?? PUBLISHER_DEFAULTS.maxAttempts,
        backoffBaseMs: o.backoffBaseMs ?? PUBLISHER_DEFAULTS.backoffBaseMs,
        backoffMaxMs: o.backoffMaxMs ?? PUBLISHER_DEFAULTS.backoffMaxMs,
      });
      this.batchers.set(dest.name, batcher);
    }
    return batcher;
  }

  private gate(dest: Destination): DepthGate | undefined {
    const max = this.options.maxQueueDepth;
    if (max === undefined || dest.kind !== 'queue') return undefined;
    let gate = this.gates.get(dest.name);
    if (!gate) {
      gate = new DepthGate(this.clients.sqs, dest.address, dest.name, {
        maxQueueDepth: max,
        mode: this.options.backpressure ?? 'reject',
        intervalMs: this.options.depthCheckIntervalMs ?? PUBLISHER_DEFAULTS.depthCheckIntervalMs,
        maxWaitMs: this.options.maxBackpressureWaitMs ?? PUBLISHER_DEFAULTS.requestTimeoutMs,
      });
      this.gates.set(dest.name, gate);
    }
    return gate;
  }

  /** Checks synchronously, takes the message's place in line, then prepares and releases it. */
  private send(
    eventType: string,
    payload: unknown,
    opts: PublishOptions,
    extra?: Record<string, string>,
  ): Promise<string> {
    if (this.closed)
      throw new PublisherClosedError(`Publisher is closed; '${eventType}' was not sent. Fix: create a new publisher.`);
    const dest = this.target.destinationOf(eventType, opts.via);
    const valid = validatePayload(this.target.source, eventType, payload);
    const env = envelope(this.target.source, eventType, valid, dest, opts, extra);
    const batcher = this.batcher(dest);
    const place = batcher.reserve({
      seq: this.seq++,
      groupId: env.groupId,
      label: `'${eventType}' to ${dest.kind} '${dest.name}' (correlationId ${env.correlationId})`,
    });
    // Checked after the message has its place, in `prepare`: one that cannot fit then fails the FIFO
    // group's messages already behind it, as any failure in preparation does.
    let storing: Promise<ClaimCheck | undefined> = Promise.resolve(undefined);
    const prepare = async () => {
      const fitted = fitMessage(eventType, dest, env.body, env.attributes, {
        enabled: this.options.claimCheck !== false,
        bucket: this.target.payloadBucket(),
        stackName: this.target.outputs.stackName,
      });
      const { claim } = fitted;
      if (claim) storing = storeClaimCheck(this.clients.s3, claim).then(() => claim);
      await storing;
      const message = outgoing(eventType, env, dest, opts, fitted.body, fitted.attributes);
      await this.gate(dest)?.admit();
      place.ready(message, fitted.size);
    };
    prepare().catch((error: Error) => place.cancel(error));
    return place.sent.catch(async (error: Error) => {
      // Never handed to the service (its FIFO group failed, backpressure, too large): its claim-check
      // object would point nowhere. After an attempt it may have been delivered, so it stays.
      const neverSent = !(error instanceof PublishFailedError && error.attempts > 0);
      const stored = neverSent ? await storing.catch(() => undefined) : undefined;
      if (stored) await this.discard(stored);
      throw error;
    });
  }

  /** Deletes the claim-check object of a message that was not sent; a failure is only a warning (the bucket's lifecycle removes it). */
  private async discard(claim: ClaimCheck): Promise<void> {
    try {
      await deleteClaimCheck(this.clients.s3, claim);
    } catch (error) {
      const { bucket, key } = claim.pointer;
      (this.options.onWarning ?? console.warn)(
        `Claim-check object s3://${bucket}/${key} of a message that was not sent could not be deleted ` +
          `(${(error as Error).name}: ${(error as Error).message}); the payload bucket's lifecycle rule removes it.`,
      );
    }
  }

  private track<R>(promise: Promise<R>): Promise<R> {
    this.outstanding.add(promise);
    const forget = () => this.outstanding.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  publish<E extends EventName<T>>(eventType: E, payload: PayloadOf<T, E>, opts: PublishOptions = {}): Promise<string> {
    try {
      return this.track(this.send(eventType, payload, opts));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async request<E extends EventName<T>>(
    eventType: E,
    payload: PayloadOf<T, E>,
    opts: PublishOptions & { readonly timeoutMs?: number } = {},
  ): Promise<unknown> {
    requireRequestReply(this.target.destinationOf(eventType, opts.via), eventType);
    const correlationId = opts.correlationId ?? randomUUID();
    const replyTo = await this.replies.queueUrl();
    const reply = this.replies.expect(
      correlationId,
      opts.timeoutMs ?? PUBLISHER_DEFAULTS.requestTimeoutMs,
      `'${eventType}'`,
    );
    try {
      await this.track(
        this.send(eventType, payload, { ...opts, correlationId }, { [REQUEST_REPLY.replyToAttribute]: replyTo }),
      );
    } catch (error) {
      // Sync validation errors and send failures alike: the request fails with the cause.
      this.replies.cancel(correlationId, error as Error);
    }
    return reply;
  }

  /** Sends what is ready without waiting for the linger, then waits until every publish settled. */
  async flush(): Promise<void> {
    for (const batcher of this.batchers.values()) batcher.flushNow();
    await Promise.allSettled([...this.outstanding]);
    await Promise.all([...this.batchers.values()].map((b) => b.idle()));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    await this.replies.close();
    if (!this.options.clients) {
      this.clients.destroy();
      this.sending.destroy();
    }
  }
}
