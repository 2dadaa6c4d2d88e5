import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { MoveTaskSendError } from '../errors.ts';
import { MOVE_TASK_LIMITS } from './limits.ts';
import type { MoveTask } from './move-task-store.ts';
import type { QueueRef } from './queue-lookup.ts';

/** Longest pause between two checks for a cancel while a rate-limited task waits. */
const CANCEL_CHECK_MS = 100;

/** Waits until `at` (epoch ms), returning early when the task is asked to stop. */
async function waitUntil(task: MoveTask, at: number): Promise<void> {
  while (task.status === 'RUNNING' && Date.now() < at) await sleep(Math.min(CANCEL_CHECK_MS, at - Date.now()));
}

/** Makes held messages visible again in the source (they were received but not moved). */
async function release(sqs: SQSClient, source: QueueRef, messages: readonly Message[]): Promise<void> {
  for (let start = 0; start < messages.length; start += MOVE_TASK_LIMITS.messagesPerStep) {
    const batch = messages.slice(start, start + MOVE_TASK_LIMITS.messagesPerStep);
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: source.url,
        Entries: batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
      }),
    );
  }
}

/**
 * One step: receive up to `count` messages, send those that were in the source when the task started
 * to the destination in receive order (body, message attributes, FIFO group), then delete them from
 * the source. Later arrivals (e.g. moved messages that failed again) go to `held`, kept invisible
 * until the task ends, as SQS moves only what the source held at the start. Returns how many moved,
 * or undefined when the source had nothing left to move.
 */
async function moveStep(
  sqs: SQSClient,
  task: MoveTask,
  source: QueueRef,
  destination: QueueRef,
  count: number,
  held: Map<string, Message>,
): Promise<number | undefined> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: source.url,
      MaxNumberOfMessages: count,
      VisibilityTimeout: MOVE_TASK_LIMITS.holdSeconds,
      WaitTimeSeconds: 0,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['MessageGroupId', 'SentTimestamp'],
    }),
  );
  const toMove = Messages.filter((m) => Number(m.Attributes?.SentTimestamp ?? 0) <= task.startedAt);
  for (const m of Messages) if (!toMove.includes(m)) held.set(m.MessageId!, m);
  if (toMove.length === 0) return undefined;
  const sent = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: destination.url,
      Entries: toMove.map((m, i) => ({
        Id: String(i),
        MessageBody: m.Body!,
        ...(m.MessageAttributes ? { MessageAttributes: m.MessageAttributes } : {}),
        // A fresh deduplication id: the original one may still be inside the destination's 5-minute window.
        ...(destination.fifo
          ? { MessageGroupId: m.Attributes?.MessageGroupId, MessageDeduplicationId: `move-${m.MessageId}` }
          : {}),
      })),
    }),
  );
  const ok = (sent.Successful ?? []).map((s) => toMove[Number(s.Id)]!);
  if (ok.length > 0) {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: source.url,
        Entries: ok.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
  const failed = sent.Failed ?? [];
  if (failed.length > 0) {
    await release(
      sqs,
      source,
      toMove.filter((m) => !ok.includes(m)),
    );
    throw new MoveTaskSendError(destination.arn, failed[0]!);
  }
  return ok.length;
}

/**
 * Runs a move task to its end: moves up to `task.toMove` messages at most `task.maxPerSecond` a
 * second, and settles the task as COMPLETED, CANCELLED (after a cancel) or FAILED (with the reason).
 */
export async function runMoveTask(
  sqs: SQSClient,
  task: MoveTask,
  source: QueueRef,
  destination: QueueRef,
): Promise<void> {
  const rate = task.maxPerSecond;
  const perStep = Math.min(MOVE_TASK_LIMITS.messagesPerStep, rate ?? MOVE_TASK_LIMITS.messagesPerStep);
  const held = new Map<string, Message>();
  try {
    while (task.status === 'RUNNING' && task.moved < task.toMove) {
      // Pace by count: the n-th message may move no earlier than n / rate seconds after the start.
      if (rate) await waitUntil(task, task.startedAt + (task.moved / rate) * 1000);
      if (task.status !== 'RUNNING') break;
      const moved = await moveStep(sqs, task, source, destination, Math.min(perStep, task.toMove - task.moved), held);
      if (moved === undefined) break;
      task.moved += moved;
    }
    task.status = task.status === 'CANCELLING' ? 'CANCELLED' : 'COMPLETED';
  } catch (error) {
    task.status = 'FAILED';
    task.failureReason = (error as Error).message;
  } finally {
    // Best effort: a held message that cannot be released becomes visible when its hold expires.
    await release(sqs, source, [...held.values()]).catch(() => undefined);
  }
}
