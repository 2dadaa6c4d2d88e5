import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { REQUEST_REPLY, type ReplyBody } from '../topology/request-reply.ts';
import { RemoteError, RequestTimeoutError } from './errors.ts';
import { AWS_LIMITS } from './limits.ts';
import { replyQueuePrefix } from '../topology/names.ts';

/** A reply queue the publisher owns: created on the first request and deleted on close. */
export type ReplyQueue = { readonly kind: 'temporary'; readonly prefix: string } | { readonly kind: 'dedicated'; readonly url: string };

interface Waiter {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** Long-polls one reply queue and hands each reply to the request waiting on its correlation id. */
export class ReplyListener {
  private url: Promise<string> | undefined;
  private readonly waiters = new Map<string, Waiter>();
  private readonly abort = new AbortController();
  private polling: Promise<void> | undefined;
  /** Replies that arrived for no waiting request (late, after a timeout). */
  unmatched = 0;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queue: ReplyQueue,
  ) {}

  /** The reply queue's URL (creating a temporary one on first use). */
  queueUrl(): Promise<string> {
    this.url ??=
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
    return this.url;
  }

  /** Waits for the reply with `correlationId`; call before sending the request. */
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

  private deliver(correlationId: string | undefined, body: string): void {
    const waiter = correlationId ? this.waiters.get(correlationId) : undefined;
    if (!waiter) {
      this.unmatched++;
      return;
    }
    clearTimeout(waiter.timer);
    this.waiters.delete(correlationId!);
    const reply = JSON.parse(body) as ReplyBody;
    if (reply.ok) waiter.resolve(reply.result);
    else waiter.reject(new RemoteError(`The consumer answered correlationId ${correlationId} with an error: ${reply.error}`));
  }

  private async poll(): Promise<void> {
    const queueUrl = await this.queueUrl();
    while (!this.abort.signal.aborted) {
      try {
        const { Messages = [] } = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: AWS_LIMITS.batchEntriesMax,
            WaitTimeSeconds: this.waiters.size > 0 ? AWS_LIMITS.receiveWaitSecondsMax : 1,
            MessageAttributeNames: [REQUEST_REPLY.correlationIdAttribute],
          }),
          { abortSignal: this.abort.signal },
        );
        for (const m of Messages) {
          this.deliver(m.MessageAttributes?.[REQUEST_REPLY.correlationIdAttribute]?.StringValue, m.Body ?? 'null');
        }
        if (Messages.length > 0) {
          await this.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
            }),
          );
        }
      } catch (error) {
        if (this.abort.signal.aborted) return;
        for (const id of [...this.waiters.keys()]) this.cancel(id, error as Error);
        this.polling = undefined;
        return;
      }
      if (this.waiters.size === 0) {
        this.polling = undefined;
        return;
      }
    }
  }

  /** Stops polling, fails waiting requests and deletes a temporary reply queue. */
  async close(): Promise<void> {
    this.abort.abort();
    for (const id of [...this.waiters.keys()]) {
      this.cancel(id, new RequestTimeoutError(`Publisher closed while request ${id} waited for its reply.`));
    }
    await this.polling?.catch(() => undefined);
    if (this.queue.kind === 'temporary' && this.url) {
      await this.sqs.send(new DeleteQueueCommand({ QueueUrl: await this.url }));
    }
  }
}
