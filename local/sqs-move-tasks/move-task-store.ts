import type { ListMessageMoveTasksResultEntry } from '@aws-sdk/client-sqs';

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

/** One StartMessageMoveTask: what it moves, where, and how far it got. */
export interface MoveTask {
  readonly handle: string;
  readonly sourceArn: string;
  /** As given to StartMessageMoveTask; absent when the task moves back to the original source queue. */
  readonly destinationArn: string | undefined;
  readonly maxPerSecond: number | undefined;
  readonly startedAt: number;
  /** Messages in the source when the task started: the task moves no more than these. */
  readonly toMove: number;
  status: MoveTaskStatus;
  moved: number;
  failureReason?: string;
  /** Settles when the background move has stopped. */
  done?: Promise<void>;
}

const ACTIVE: ReadonlySet<MoveTaskStatus> = new Set(['RUNNING', 'CANCELLING']);

/** The task handle AWS hands out: base64 of the task id and its source ARN. */
export function taskHandle(taskId: string, sourceArn: string): string {
  return Buffer.from(JSON.stringify({ taskId, sourceArn })).toString('base64');
}

/** Every move task this local cloud ran, in start order. */
export class MoveTaskStore {
  private readonly tasks: MoveTask[] = [];

  add(task: MoveTask): void {
    this.tasks.push(task);
  }

  byHandle(handle: string): MoveTask | undefined {
    return this.tasks.find((t) => t.handle === handle);
  }

  activeFor(sourceArn: string): MoveTask | undefined {
    return this.tasks.find((t) => t.sourceArn === sourceArn && ACTIVE.has(t.status));
  }

  /** The source's tasks, most recent first. */
  forSource(sourceArn: string): MoveTask[] {
    return this.tasks.filter((t) => t.sourceArn === sourceArn).reverse();
  }

  /** Cancels every active task and waits until their moves stopped. */
  async stopAll(): Promise<void> {
    for (const t of this.tasks) if (t.status === 'RUNNING') t.status = 'CANCELLING';
    await Promise.all(this.tasks.map((t) => t.done));
  }
}

/** A task as ListMessageMoveTasks reports it (like AWS: the handle only while it runs). */
export function toListEntry(task: MoveTask): ListMessageMoveTasksResultEntry {
  return {
    ...(task.status === 'RUNNING' ? { TaskHandle: task.handle } : {}),
    Status: task.status,
    SourceArn: task.sourceArn,
    ...(task.destinationArn ? { DestinationArn: task.destinationArn } : {}),
    ...(task.maxPerSecond !== undefined ? { MaxNumberOfMessagesPerSecond: task.maxPerSecond } : {}),
    ApproximateNumberOfMessagesMoved: task.moved,
    ApproximateNumberOfMessagesToMove: task.toMove,
    ...(task.status === 'FAILED' ? { FailureReason: task.failureReason } : {}),
    StartedTimestamp: task.startedAt,
  };
}
