import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { BackpressureError } from './errors.ts';
import { sleep } from './retry.ts';

export interface BackpressureSettings {
  /** Visible messages above which publishing to the queue is held back. */
  readonly maxQueueDepth: number;
  /** `reject`: fail with `BackpressureError`; `wait`: wait until the queue drains below the limit. */
  readonly mode: 'reject' | 'wait';
  /** Depth is read at most once per interval (GetQueueAttributes). */
  readonly intervalMs: number;
  /** `wait` mode: longest wait before rejecting with `BackpressureError`. */
  readonly maxWaitMs: number;
}

/** Admits messages to a work queue only while its depth is at most `maxQueueDepth`. */
export class DepthGate {
  private depth = 0;
  private readAt = -Infinity;
  private reading: Promise<number> | undefined;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly queueName: string,
    private readonly settings: BackpressureSettings,
  ) {}

  private async readDepth(): Promise<number> {
    if (Date.now() - this.readAt < this.settings.intervalMs) return this.depth;
    this.reading ??= this.sqs
      .send(new GetQueueAttributesCommand({ QueueUrl: this.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))
      .then((r) => {
        this.depth = Number(r.Attributes?.ApproximateNumberOfMessages ?? 0);
        this.readAt = Date.now();
        return this.depth;
      })
      .finally(() => (this.reading = undefined));
    return this.reading;
  }

  private error(depth: number, waited: boolean): BackpressureError {
    const { maxQueueDepth } = this.settings;
    return new BackpressureError(
      `Work queue '${this.queueName}' holds ${depth} messages, more than maxQueueDepth ${maxQueueDepth}` +
        `${waited ? ` after waiting ${this.settings.maxWaitMs} ms` : ''}. ` +
        `Fix: slow down, retry later, or raise maxQueueDepth (consumers are behind).`,
      depth,
      maxQueueDepth,
    );
  }

  async admit(): Promise<void> {
    const started = Date.now();
    for (;;) {
      const depth = await this.readDepth();
      if (depth <= this.settings.maxQueueDepth) return;
      if (this.settings.mode === 'reject') throw this.error(depth, false);
      if (Date.now() - started >= this.settings.maxWaitMs) throw this.error(depth, true);
      await sleep(Math.max(1, this.readAt + this.settings.intervalMs - Date.now()));
    }
  }
}
