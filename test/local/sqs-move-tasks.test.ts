import {
  CancelMessageMoveTaskCommand,
  ListMessageMoveTasksCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulators } from '../../local/emulators.ts';
import { sleep } from '../support/local-cloud.ts';
import {
  depth,
  fill,
  latestTask,
  queueWithDlq,
  receiveAll,
  settled,
  startMessaging,
} from './support/move-task-queues.ts';

let emulators: Emulators;
beforeEach(async () => {
  emulators = await startMessaging();
});
afterEach(() => emulators.stop());

describe('StartMessageMoveTask / ListMessageMoveTasks on the local cloud', () => {
  it('moves every DLQ message back to the original source queue with body and attributes intact', async () => {
    const q = await queueWithDlq(emulators, 'orders');
    await fill(emulators, q.dlqUrl, 25);
    const { TaskHandle } = await emulators.clients.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: q.dlqArn }));
    expect(TaskHandle).toMatch(/^[A-Za-z0-9+/=]+$/);
    const task = await settled(emulators, q.dlqArn);
    expect(task).toMatchObject({
      Status: 'COMPLETED',
      SourceArn: q.dlqArn,
      ApproximateNumberOfMessagesMoved: 25,
      ApproximateNumberOfMessagesToMove: 25,
    });
    // Like AWS: no DestinationArn / rate when none was given, and the handle only while RUNNING.
    expect(task.DestinationArn).toBeUndefined();
    expect(task.MaxNumberOfMessagesPerSecond).toBeUndefined();
    expect(task.TaskHandle).toBeUndefined();
    expect(task.StartedTimestamp).toBeGreaterThan(Date.now() - 60_000);
    expect(await depth(emulators, q.dlqUrl)).toBe(0);
    const back = await receiveAll(emulators, q.sourceUrl);
    expect(back.map((m) => m.Body).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `m-${i}`).sort());
    for (const m of back) {
      const i = m.Body!.slice(2);
      expect(m.MessageAttributes).toEqual({
        seq: { DataType: 'Number', StringValue: i },
        tenant: { DataType: 'String', StringValue: `t-${Number(i) % 2}` },
      });
    }
  });

  it('moves to an explicit DestinationArn and lists tasks most recent first', async () => {
    const q = await queueWithDlq(emulators, 'orders');
    const other = await queueWithDlq(emulators, 'elsewhere');
    await fill(emulators, q.dlqUrl, 3);
    await emulators.clients.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: q.dlqArn }));
    await settled(emulators, q.dlqArn);
    await fill(emulators, q.dlqUrl, 2);
    await emulators.clients.sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: q.dlqArn, DestinationArn: other.sourceArn }),
    );
    await settled(emulators, q.dlqArn);
    const { Results = [] } = await emulators.clients.sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: q.dlqArn, MaxResults: 10 }),
    );
    expect(Results.map((r) => [r.Status, r.DestinationArn, r.ApproximateNumberOfMessagesMoved])).toEqual([
      ['COMPLETED', other.sourceArn, 2],
      ['COMPLETED', undefined, 3],
    ]);
    expect(await depth(emulators, other.sourceUrl)).toBe(2);
    expect(await depth(emulators, q.sourceUrl)).toBe(3);
    // MaxResults defaults to 1, as in SQS.
    const { Results: one = [] } = await emulators.clients.sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: q.dlqArn }),
    );
    expect(one).toHaveLength(1);
  });

  it('honours MaxNumberOfMessagesPerSecond: at 1/s the task is still RUNNING right after the start', async () => {
    const q = await queueWithDlq(emulators, 'orders');
    await fill(emulators, q.dlqUrl, 6);
    const { TaskHandle } = await emulators.clients.sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: q.dlqArn, MaxNumberOfMessagesPerSecond: 1 }),
    );
    // 6 messages at 1/s take 5 s after the first: a list within that time sees the task mid-way.
    const running = await latestTask(emulators, q.dlqArn);
    expect(running).toMatchObject({
      Status: 'RUNNING',
      TaskHandle,
      MaxNumberOfMessagesPerSecond: 1,
      ApproximateNumberOfMessagesToMove: 6,
    });
    expect(running.ApproximateNumberOfMessagesMoved).toBeLessThan(6);
    expect(await settled(emulators, q.dlqArn)).toMatchObject({
      Status: 'COMPLETED',
      ApproximateNumberOfMessagesMoved: 6,
    });
    expect(await depth(emulators, q.sourceUrl)).toBe(6);
  });

  it('moves only the messages present at the start: later arrivals stay in the DLQ', async () => {
    const q = await queueWithDlq(emulators, 'orders');
    await fill(emulators, q.dlqUrl, 3);
    await emulators.clients.sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: q.dlqArn, MaxNumberOfMessagesPerSecond: 1 }),
    );
    await sleep(5); // a later millisecond than the start, so the arrivals are told apart by SentTimestamp
    await emulators.clients.sqs.send(new SendMessageCommand({ QueueUrl: q.dlqUrl, MessageBody: 'late-1' }));
    await emulators.clients.sqs.send(new SendMessageCommand({ QueueUrl: q.dlqUrl, MessageBody: 'late-2' }));
    expect(await settled(emulators, q.dlqArn)).toMatchObject({
      Status: 'COMPLETED',
      ApproximateNumberOfMessagesMoved: 3,
      ApproximateNumberOfMessagesToMove: 3,
    });
    expect((await receiveAll(emulators, q.sourceUrl)).map((m) => m.Body).sort()).toEqual(['m-0', 'm-1', 'm-2']);
    expect((await receiveAll(emulators, q.dlqUrl)).map((m) => m.Body).sort()).toEqual(['late-1', 'late-2']);
  });

  it('keeps each FIFO group in order and keeps the group id', async () => {
    const q = await queueWithDlq(emulators, 'ledger', true);
    await fill(emulators, q.dlqUrl, 30, (i) => `g-${i % 3}`);
    await emulators.clients.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: q.dlqArn }));
    expect(await settled(emulators, q.dlqArn)).toMatchObject({
      Status: 'COMPLETED',
      ApproximateNumberOfMessagesMoved: 30,
    });
    const back = await receiveAll(emulators, q.sourceUrl);
    expect(back).toHaveLength(30);
    for (const g of [0, 1, 2]) {
      const group = back
        .filter((m) => m.Attributes!.MessageGroupId === `g-${g}`)
        .map((m) => Number(m.MessageAttributes!.seq!.StringValue));
      expect(group).toEqual(Array.from({ length: 10 }, (_, k) => g + 3 * k));
    }
  });

  it('cancel stops the task: CANCELLED, and every message is in exactly one of the two queues', async () => {
    const q = await queueWithDlq(emulators, 'orders');
    await fill(emulators, q.dlqUrl, 10);
    const { TaskHandle } = await emulators.clients.sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: q.dlqArn, MaxNumberOfMessagesPerSecond: 1 }),
    );
    const cancelled = await emulators.clients.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBeLessThan(10);
    const task = await settled(emulators, q.dlqArn);
    expect(task.Status).toBe('CANCELLED');
    expect(task.ApproximateNumberOfMessagesMoved).toBeLessThan(10);
    expect(await depth(emulators, q.sourceUrl)).toBe(task.ApproximateNumberOfMessagesMoved);
    expect(await depth(emulators, q.dlqUrl)).toBe(10 - task.ApproximateNumberOfMessagesMoved!);
    // A finished task cannot be cancelled again.
    await expect(emulators.clients.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'The task is CANCELLED; only a RUNNING message movement task can be cancelled.',
    });
  });
});
