import { LIMITS, replyQueuePrefix } from '../topology/internal.ts';
import { CLAIM_CHECK, REQUEST_REPLY, type ReplyBody } from '../contracts/index.ts';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { S3Client } from '@aws-sdk/client-s3';
import { resolveMessageBody } from './claim-check.ts';
import { RemoteError, RequestTimeoutError } from './errors.ts';
import { backoffMs } from './retry.ts';

/** A reply queue the publisher owns: created on the first request and deleted on close. */
export type ReplyQueue =
  | { readonly kind: 'temporary'; readonly prefix: string }
  | { readonly kind: 'dedicated'; readonly url: string };

export interface ReplyListenerSettings {
  /** Problems that fail no request: a malformed reply (deleted) or a failed poll (retried). One line each. */
  readonly onWarning: (message: string) => void;
  /** First backoff step after a failed poll; doubles per failure in a row, with full jitter. */
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
}

interface Waiter {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

const REPLY_PREVIEW_CHARS = 80;

/** The reply in a message body, or undefined when it is not `{"ok":true,"result":…}` / `{"ok":false,"error":"…"}`. */
function parseReply(body: string | undefined): ReplyBody | undefined {
  try {
    const reply = JSON.parse(body ?? '') as Partial<{ ok: unknown; result: unknown; error: unknown }> | null;
    if (reply?.ok === true) return { ok: true, result: reply.result };
    if (reply?.ok === false && typeof reply.error === 'string') return { ok: false, error: reply.error };
  } catch {
    // not JSON: malformed
  }
  return undefined;
}

function preview(body: string | undefined): string {
  const text = JSON.stringify(body ?? '');
  return text.length > REPLY_PREVIEW_CHARS ? `${text.slice(0, REPLY_PREVIEW_CHARS)}…` : text;
}

/**
 * Long-polls one reply queue and hands each reply to the request waiting on its correlation id.
 * A failed poll is retried with backoff and a malformed reply is deleted: neither fails a request;
 * a request fails only on its own timeout, on a malformed reply to itself, or on close.
 */
export class ReplyListener {
  private url: Promise<string> | undefined;
  private readonly waiters = new Map<string, Waiter>();
  private readonly abort = new AbortController();
  private polling: Promise<void> | undefined;
  /** Replies that arrived for no waiting request (late, after a timeout). */
  unmatched = 0;

  constructor(
    private readonly sqs: SQSClient,
    /** Reads replies too large for a message, which arrive as claim-check pointers. */
    private readonly s3: S3Client,
    private readonly queue: ReplyQueue,
    private readonly settings: ReplyListenerSettings,
  ) {}

  /** The reply queue's URL (creating a temporary one on first use; a failed creation is tried again next time). */
  queueUrl(): Promise<string> {
    if (this.url) return this.url;
    const url =
      this.queue.kind === 'dedicated'
        ? Promise.resolve(this.queue.url)
        : this.sqs
            .send(
              new CreateQueueCommand({
                QueueName: `${replyQueuePrefix(this.queue.prefix)}${randomUUID().slice(0, 8)}`,
                Attributes: { MessageRetentionPeriod: '300', SqsManagedSseEnabled: 'true' },
              }),
            )
            .then((r) => r.QueueUrl!);
    this.url = url;
    url.catch(() => {
      if (this.url === url) this.url = undefined;
    });
    return url;
  }

  /** Waits for the reply with `correlationId`; call after `queueUrl()` resolved and before sending the request. */
  expect(correlationId: string, timeoutMs: number, what: string): Promise<unknown> {
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(correlationId);
        reject(
          new RequestTimeoutError(
            `No reply to ${what} (correlationId ${correlationId}) within ${timeoutMs} ms. ` +
              `Fix: check the consumer is running and calls reply(), or raise the timeout.`,
          ),
        );
      }, timeoutMs);
      this.waiters.set(correlationId, { resolve, reject, timer });
    });
    this.polling ??= this.poll();
    return reply;
  }

  cancel(correlationId: string, error: Error): void {
    const waiter = this.waiters.get(correlationId);
    if (!waiter) return;
    clearTimeout(waiter.timer);
    this.waiters.delete(correlationId);
    waiter.reject(error);
  }

  /** A claim-checked reply's body, or undefined (the waiter rejected with why) when it cannot be read. */
  private async claimCheckedBody(message: Message, correlationId: string): Promise<string | undefined> {
    try {
      return await resolveMessageBody(this.s3, message.Body ?? '', message.MessageAttributes);
    } catch (error) {
      this.cancel(
        correlationId,
        new RemoteError(
          `The reply to correlationId ${correlationId} is in the payload bucket, and reading it failed: ${(error as Error).message}. ` +
            'Fix: check the requester may s3:GetObject under claim-check/ in the payload bucket, then send the request again.',
          { cause: error },
        ),
      );
      return undefined;
    }
  }

  /** Settles the request a reply answers; returns why the reply is malformed, if it is. */
  private async deliver(message: Message): Promise<string | undefined> {
    const correlationId = message.MessageAttributes?.[REQUEST_REPLY.correlationIdAttribute]?.StringValue;
    let body = message.Body;
    // A reply too large for a message: its body is in the payload bucket (read only when awaited).
    if (correlationId !== undefined && message.MessageAttributes?.[CLAIM_CHECK.attribute] !== undefined) {
      if (!this.waiters.has(correlationId)) {
        this.unmatched++;
        return undefined;
      }
      body = await this.claimCheckedBody(message, correlationId);
      if (body === undefined) return undefined;
    }
    const reply = parseReply(body);
    const problem =
      correlationId === undefined
        ? `it has no '${REQUEST_REPLY.correlationIdAttribute}' attribute`
        : reply === undefined
          ? `its body ${preview(message.Body)} is not {"ok":true,"result":…} or {"ok":false,"error":"…"}`
          : undefined;
    const waiter = correlationId === undefined ? undefined : this.waiters.get(correlationId);
    if (!waiter) {
      if (problem === undefined) this.unmatched++;
      return problem;
    }
    clearTimeout(waiter.timer);
    this.waiters.delete(correlationId!);
    if (problem !== undefined) {
      waiter.reject(
        new RemoteError(
          `The reply to correlationId ${correlationId} is malformed: ${problem}. Fix: answer requests with the consumer runtime's reply().`,
        ),
      );
    } else if (reply!.ok) waiter.resolve(reply!.result);
    else
      waiter.reject(
        new RemoteError(`The consumer answered correlationId ${correlationId} with an error: ${reply!.error}`),
      );
    return problem;
  }

  private async receiveOnce(queueUrl: string): Promise<void> {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: LIMITS.batchEntriesMax,
        WaitTimeSeconds: LIMITS.receiveWaitSecondsMax,
        MessageAttributeNames: [REQUEST_REPLY.correlationIdAttribute, CLAIM_CHECK.attribute],
      }),
      { abortSignal: this.abort.signal },
    );
    if (Messages.length === 0) return;
    const problems = await Promise.all(Messages.map((m) => this.deliver(m)));
    const malformed = Messages.flatMap((m, i) => {
      const problem = problems[i];
      return problem === undefined ? [] : [{ id: m.MessageId, problem }];
    });
    await this.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
    for (const { id, problem } of malformed) {
      this.settings.onWarning(`Deleted a malformed reply (message ${id}) from reply queue ${queueUrl}: ${problem}.`);
    }
  }

  private async poll(): Promise<void> {
    let failures = 0;
    try {
      // request() created the queue before expect(); a failure there already failed that request.
      const queueUrl = await this.queueUrl().catch(() => undefined);
      while (queueUrl !== undefined && !this.abort.signal.aborted && this.waiters.size > 0) {
        try {
          await this.receiveOnce(queueUrl);
          failures = 0;
        } catch (error) {
          if (this.abort.signal.aborted) return;
          failures++;
          const waitMs = Math.ceil(backoffMs(failures, this.settings.backoffBaseMs, this.settings.backoffMaxMs));
          const e = error as Error;
          this.settings.onWarning(
            `Polling reply queue ${queueUrl} failed (${e.name}: ${e.message}); retrying in ${waitMs} ms (failure ${failures} in a row). ` +
              `Waiting requests keep waiting until their own timeout.`,
          );
          await delay(waitMs, undefined, { signal: this.abort.signal }).catch(() => undefined);
        }
      }
    } finally {
      this.polling = undefined;
    }
  }

  /** Stops polling, fails waiting requests and deletes a temporary reply queue. */
  async close(): Promise<void> {
    this.abort.abort();
    for (const id of [...this.waiters.keys()]) {
      this.cancel(id, new RequestTimeoutError(`Publisher closed while request ${id} waited for its reply.`));
    }
    await this.polling?.catch(() => undefined);
    const url = this.url && (await this.url.catch(() => undefined));
    if (this.queue.kind === 'temporary' && url) {
      await this.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    }
  }
}
