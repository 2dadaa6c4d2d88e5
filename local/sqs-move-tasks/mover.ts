import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
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
  if (messages.length === 0) return;
  await sqs.send(
    new ChangeMessageVisibilityBatchCommand({
      QueueUrl: source.url,
      Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
    }),
  );
}

/**
 * One step: receive up to `count` messages, send them to the destination in receive order (body,
 * message attributes, FIFO group), then delete them from the source. Returns how many moved.
 */
async function moveStep(sqs: SQSClient, source: QueueRef, destination: QueueRef, count: number): Promise<number> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: source.url,
      MaxNumberOfMessages: count,
      VisibilityTimeout: MOVE_TASK_LIMITS.holdSeconds,
      WaitTimeSeconds: 0,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['MessageGroupId'],
    }),
  );
  if (Messages.length === 0) return 0;
  const sent = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: destination.url,
      Entries: Messages.map((m, i) => ({
        Id: String(i),
        MessageBody: m.Body!,
        ...(m.MessageAttributes ? { MessageAttributes: m.MessageAttributes } : {}),
        // A fresh deduplication id: the original one may still be inside the destination's 5-minute window.
        ...(destination.fifo ? { MessageGroupId: m.Attributes?.MessageGroupId, MessageDeduplicationId: `move-${m.MessageId}` } : {}),
      })),
    }),
  );
  const ok = (sent.Successful ?? []).map((s) => Messages[Number(s.Id)]!);
  if (ok.length > 0) {
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: source.url, Entries: ok.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
  const failed = sent.Failed ?? [];
  if (failed.length > 0) {
    await release(sqs, source, Messages.filter((m) => !ok.includes(m)));
    throw new Error(`SendMessageBatch to ${destination.arn} failed: ${failed[0]!.Code}: ${failed[0]!.Message}`);
  }
  return ok.length;
}

/**
 * Runs a move task to its end: moves up to `task.toMove` messages at most `task.maxPerSecond` a
 * second, and settles the task as COMPLETED, CANCELLED (after a cancel) or FAILED (with the reason).
 */
export async function runMoveTask(sqs: SQSClient, task: MoveTask, source: QueueRef, destination: QueueRef): Promise<void> {
  const rate = task.maxPerSecond;
  const perStep = Math.min(MOVE_TASK_LIMITS.messagesPerStep, rate ?? MOVE_TASK_LIMITS.messagesPerStep);
  try {
    while (task.status === 'RUNNING' && task.moved < task.toMove) {
      // Pace by count: the n-th message may move no earlier than n / rate seconds after the start.
      if (rate) await waitUntil(task, task.startedAt + (task.moved / rate) * 1000);
      if (task.status !== 'RUNNING') break;
      const moved = await moveStep(sqs, source, destination, Math.min(perStep, task.toMove - task.moved));
      if (moved === 0) break;
      task.moved += moved;
    }
    task.status = task.status === 'CANCELLING' ? 'CANCELLED' : 'COMPLETED';
  } catch (error) {
    task.status = 'FAILED';
    task.failureReason = (error as Error).message;
  }
}
