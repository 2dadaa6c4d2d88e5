import { LIMITS } from '../topology/internal.ts';
import { isDeadLetterAttribute } from '../contracts/index.ts';
import {
  ListMessageMoveTasksCommand,
  SendMessageBatchCommand,
  StartMessageMoveTaskCommand,
  type Message,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { CLAIM_CHECK, type ClaimCheckPointer, readClaimCheckPointer } from '../contracts/index.ts';
import { renewClaimCheck } from './claim-check.ts';
import { HOLD_SECONDS, holdMessages } from './dlq-peek.ts';
import { PermanentFailuresError } from './errors.ts';
import { parseFilter } from './message-filter.ts';
import type { OperatorContext } from './operator.ts';
import { type DeadLetterScan, scanDeadLetters } from './dlq-permanent.ts';
import { sleep } from './retry.ts';
import { deleteMessages, type MessageFailure, queueAttributes, releaseMessages, viewMessage } from './sqs-util.ts';
import { type DeadLetterSource, deadLetterQueues } from './dlq-source.ts';

export interface ReplayOptions {
  /** Most messages to move. @default - all */
  readonly max?: number;
  /** Messages per second. @default - as fast as the API allows */
  readonly ratePerSecond?: number;
  /** Only messages matching this filter (see `parseFilter`); forces the manual move. @default - all */
  readonly filter?: string;
  /** `manual` skips StartMessageMoveTask. @default 'auto' */
  readonly method?: 'auto' | 'manual';
  readonly onProgress?: (progress: { readonly moved: number; readonly total: number | undefined }) => void;
  /** Stops the manual move after the batch in flight; held messages are released. */
  readonly signal?: AbortSignal;
  /** Milliseconds between ListMessageMoveTasks polls. @default 1000 */
  readonly pollMs?: number;
  /**
   * The queue's DLQ, or the SNS subscription's (messages SNS could not deliver; moved to the queue
   * by hand, as SQS's native move reads only a queue's redrive DLQ).
   * @default 'queue'
   */
  readonly source?: DeadLetterSource;
  /**
   * Replay messages whose dead-letter reason a replay cannot fix (`PERMANENT_DEAD_LETTER_KINDS`:
   * schema validation, undecodable, no handler, …); without it such messages make the replay throw
   * `PermanentFailuresError` before anything moves. @default false
   */
  readonly force?: boolean;
}

export interface ReplayResult {
  readonly method: 'native' | 'manual';
  readonly moved: number;
  /** Messages the filter did not match (they stay in the DLQ). */
  readonly skipped: number;
  /** FIFO messages kept in the DLQ because an earlier message of their group stays there. */
  readonly keptForOrder: number;
  /** Messages that reached the DLQ after the replay began (e.g. replayed ones that failed again); left there. */
  readonly arrivedDuringReplay: number;
  /** Not sent to the queue: they stay in the DLQ. */
  readonly failed: readonly MessageFailure[];
  /**
   * Sent to the queue but not deleted from the DLQ (their DeleteMessageBatch entry failed): not counted
   * as moved. They are in both queues, so a later replay delivers them again.
   */
  readonly copiedNotDeleted: readonly MessageFailure[];
  readonly notes: readonly string[];
}

export type { MessageFailure } from './sqs-util.ts';

const UNSUPPORTED = new Set(['InvalidAction', 'UnsupportedOperation', 'UnknownOperationException', 'UnknownOperation']);

class RateLimiter {
  private nextAt = 0;
  constructor(private readonly perSecond: number | undefined) {}
  async take(count: number): Promise<void> {
    if (!this.perSecond) return;
    const wait = this.nextAt - Date.now();
    if (wait > 0) await sleep(wait);
    this.nextAt = Math.max(Date.now(), this.nextAt) + (count * 1000) / this.perSecond;
  }
}

/** Splits messages into rounds with at most one message per FIFO group, keeping each group's order. */
function rounds(messages: readonly Message[], fifo: boolean): Message[][] {
  if (!fifo) return [messages.slice()];
  const result: Message[][] = [];
  const depth = new Map<string, number>();
  for (const m of messages) {
    const group = m.Attributes!.MessageGroupId!;
    const round = depth.get(group) ?? 0;
    depth.set(group, round + 1);
    result[round] ??= [];
    result[round].push(m);
  }
  return result;
}

/**
 * The message's own attributes (event type, key, claim-check marker, correlation id, …), without the
 * dead-letter reason the consumer runtime attached: a later failure must not carry a stale one.
 */
function copyAttributes(m: Message): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(m.MessageAttributes ?? {})
      .filter(([k]) => !isDeadLetterAttribute(k))
      .map(([k, v]) => [
        k,
        {
          DataType: v.DataType,
          ...(v.StringValue !== undefined ? { StringValue: v.StringValue } : {}),
          ...(v.BinaryValue ? { BinaryValue: v.BinaryValue } : {}),
        },
      ]),
  );
}

async function nativeMove(
  ctx: OperatorContext,
  dlqUrl: string,
  queueUrl: string,
  opts: ReplayOptions,
): Promise<ReplayResult | undefined> {
  const sqs = ctx.clients.sqs;
  const [dlq, queue] = await Promise.all([
    queueAttributes(sqs, dlqUrl, ['QueueArn', 'ApproximateNumberOfMessages']),
    queueAttributes(sqs, queueUrl, ['QueueArn']),
  ]);
  let handle: string | undefined;
  try {
    const started = await sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: dlq.QueueArn,
        DestinationArn: queue.QueueArn,
        ...(opts.ratePerSecond ? { MaxNumberOfMessagesPerSecond: opts.ratePerSecond } : {}),
      }),
    );
    handle = started.TaskHandle;
  } catch (error) {
    const e = error as Error;
    // An endpoint without the action may answer anything, even an HTML error page (moto's 500).
    if (UNSUPPORTED.has(e.name) || /unknown action|not supported|deserializ/i.test(e.message)) return undefined;
    throw error;
  }
  const total = Number(dlq.ApproximateNumberOfMessages ?? 0);
  for (;;) {
    const { Results = [] } = await sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: dlq.QueueArn, MaxResults: 10 }),
    );
    const task = Results.find((r) => r.TaskHandle === handle) ?? Results[0];
    const moved = task?.ApproximateNumberOfMessagesMoved ?? 0;
    opts.onProgress?.({ moved, total: task?.ApproximateNumberOfMessagesToMove ?? total });
    if (task && task.Status !== 'RUNNING' && task.Status !== 'CANCELLING') {
      const failed =
        task.Status === 'FAILED' ? [{ messageId: '-', error: task.FailureReason ?? 'move task failed' }] : [];
      return nativeResult(moved, failed, `StartMessageMoveTask ${task.Status}`);
    }
    if (opts.signal?.aborted) {
      return nativeResult(moved, [], `interrupted; the move task ${handle} keeps running in SQS`);
    }
    await sleep(opts.pollMs ?? 1000, opts.signal);
  }
}

/**
 * Renews a claim-checked message's payload before the message is moved (see `renewClaimCheck`);
 * the one line saying why it cannot be replayed when the payload is gone, else undefined.
 */
async function claimCheckGone(ctx: OperatorContext, m: Message): Promise<string | undefined> {
  const view = viewMessage(m);
  const marker = view.attributes[CLAIM_CHECK.attribute];
  if (marker === undefined) return undefined;
  let pointer: ClaimCheckPointer | undefined;
  try {
    pointer = readClaimCheckPointer(view.payload, marker);
  } catch (error) {
    return `claim-check pointer unreadable (${(error as Error).message}): not replayed, it stays in the DLQ`;
  }
  if (!pointer || (await renewClaimCheck(ctx.clients.s3, pointer))) return undefined;
  return (
    `claim-check payload s3://${pointer.bucket}/${pointer.key} is gone (expired or deleted): the message cannot be ` +
    'replayed and stays in the DLQ; publish the event again if its producer still has it'
  );
}

async function manualMove(
  ctx: OperatorContext,
  dlqUrl: string,
  queueUrl: string,
  fifo: boolean,
  opts: ReplayOptions,
  notes: string[],
): Promise<ReplayResult> {
  const sqs = ctx.clients.sqs;
  const matches = opts.filter ? parseFilter(opts.filter) : () => true;
  // Only what is in the DLQ now: a replayed message that fails again comes back as a new message,
  // and moving it again would loop. New arrivals are told apart by SentTimestamp; the depth caps the rest.
  const startedAt = Date.now();
  const depth = Number(
    (await queueAttributes(sqs, dlqUrl, ['ApproximateNumberOfMessages'])).ApproximateNumberOfMessages ?? 0,
  );
  const max = Math.min(opts.max ?? Infinity, depth);
  const total = opts.filter ? undefined : max;
  const limiter = new RateLimiter(opts.ratePerSecond);
  // At a slow rate, receive no more than can be sent within half the hold, so no hold expires while waiting.
  const receiveSize = opts.ratePerSecond
    ? Math.max(1, Math.min(LIMITS.batchEntriesMax, Math.floor((opts.ratePerSecond * HOLD_SECONDS) / 2)))
    : LIMITS.batchEntriesMax;
  const seen = new Set<string>();
  const held: Message[] = [];
  const blocked = new Set<string>();
  const failed: MessageFailure[] = [];
  const copiedNotDeleted: MessageFailure[] = [];
  let moved = 0;
  let skipped = 0;
  let arrived = 0;
  try {
    while (moved < max && !opts.signal?.aborted) {
      const received = await holdMessages(ctx.clients.sqs, dlqUrl, Math.min(receiveSize, max - moved), seen);
      if (received.length === 0) break;
      const toMove: Message[] = [];
      for (const m of received) {
        const group = m.Attributes?.MessageGroupId;
        if (Number(m.Attributes?.SentTimestamp ?? 0) >= startedAt) {
          held.push(m);
          arrived++;
          if (group !== undefined) blocked.add(group);
        } else if (group !== undefined && blocked.has(group)) held.push(m);
        else if (matches(viewMessage(m))) toMove.push(m);
        else {
          held.push(m);
          skipped++;
          if (group !== undefined) blocked.add(group);
        }
      }
      for (const round of rounds(toMove, fifo)) {
        const unblocked = round.filter((m) => !blocked.has(m.Attributes?.MessageGroupId ?? ''));
        held.push(...round.filter((m) => !unblocked.includes(m)));
        const sendable: Message[] = [];
        for (const m of unblocked) {
          const gone = await claimCheckGone(ctx, m);
          if (!gone) sendable.push(m);
          else {
            held.push(m);
            failed.push({ messageId: m.MessageId!, error: gone });
            if (m.Attributes?.MessageGroupId !== undefined) blocked.add(m.Attributes.MessageGroupId);
          }
        }
        if (sendable.length === 0) continue;
        await limiter.take(sendable.length);
        // Send first, delete after: a crash in between leaves the message in both queues, never in neither.
        const sent = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: sendable.map((m, i) => ({
              Id: String(i),
              MessageBody: m.Body!,
              MessageAttributes: copyAttributes(m),
              ...(fifo
                ? { MessageGroupId: m.Attributes!.MessageGroupId!, MessageDeduplicationId: `replay-${m.MessageId}` }
                : {}),
            })),
          }),
        );
        for (const f of sent.Failed ?? []) {
          const m = sendable[Number(f.Id)]!;
          held.push(m);
          failed.push({ messageId: m.MessageId!, error: `${f.Code}: ${f.Message}` });
          if (m.Attributes?.MessageGroupId !== undefined) blocked.add(m.Attributes.MessageGroupId);
        }
        const ok = (sent.Successful ?? []).map((s) => sendable[Number(s.Id)]!);
        const notDeleted = ok.length > 0 ? await deleteMessages(sqs, dlqUrl, ok) : [];
        copiedNotDeleted.push(...notDeleted);
        moved += ok.length - notDeleted.length;
        opts.onProgress?.({ moved, total });
      }
    }
  } finally {
    await releaseMessages(sqs, dlqUrl, held);
  }
  if (opts.signal?.aborted) notes.push('interrupted: messages not yet moved stay in the DLQ');
  return {
    method: 'manual',
    moved,
    skipped,
    keptForOrder: held.length - skipped - arrived - failed.length,
    arrivedDuringReplay: arrived,
    failed,
    copiedNotDeleted,
    notes,
  };
}

/**
 * SQS's native move reads no message, so it cannot renew claim-checked payloads: it is used only when
 * the scan saw every message and none is claim-checked. A FIFO DLQ hands a reader only each group's
 * first message, so its scan never sees them all.
 */
const nativeMoveIsSafe = (scan: DeadLetterScan, fifo: boolean) => !fifo && scan.complete && scan.claimChecked === 0;

/**
 * Moves a subscriber's dead-lettered messages back to its queue. Without a filter or `max` it uses
 * StartMessageMoveTask (SQS's own redrive) and falls back to a manual move where the API is missing;
 * with one, a manual move: receive with a hold, send to the queue, then delete from the DLQ.
 */
export async function replayDeadLetters(
  ctx: OperatorContext,
  subscriber: string,
  opts: ReplayOptions = {},
): Promise<ReplayResult> {
  const source = opts.source ?? 'queue';
  const { deadLetterQueueUrl, queueUrl, endpoint } = deadLetterQueues(ctx, subscriber, source, 'replay');
  if (opts.filter) parseFilter(opts.filter);
  const scan = await scanDeadLetters(ctx.clients.sqs, deadLetterQueueUrl, opts);
  if (!opts.force && Object.keys(scan.permanent).length > 0)
    throw new PermanentFailuresError(subscriber, scan.permanent);
  const notes: string[] = [];
  // A native move cannot renew claim-checked payloads, whose expiry must outlive the replayed copy.
  if (scan.claimChecked > 0)
    notes.push(
      `${scan.claimChecked} claim-checked message(s): moved by hand, renewing each payload (or refusing one that is gone)`,
    );
  // SQS moves natively only out of a queue's redrive DLQ; SNS's subscription DLQ is moved by hand.
  if (
    source === 'queue' &&
    (opts.method ?? 'auto') === 'auto' &&
    !opts.filter &&
    opts.max === undefined &&
    nativeMoveIsSafe(scan, endpoint.fifo)
  ) {
    const native = await nativeMove(ctx, deadLetterQueueUrl, queueUrl, opts);
    if (native) return native;
    notes.push('StartMessageMoveTask is not supported by this endpoint; moved manually (receive, send, delete)');
  }
  return manualMove(ctx, deadLetterQueueUrl, queueUrl, endpoint.fifo, opts, notes);
}

/** A native move task's result: SQS moves everything, so nothing is skipped or kept for order. */
function nativeResult(moved: number, failed: ReplayResult['failed'], note: string): ReplayResult {
  return {
    method: 'native',
    moved,
    skipped: 0,
    keptForOrder: 0,
    arrivedDuringReplay: 0,
    failed,
    copiedNotDeleted: [],
    notes: [note],
  };
}
