import {
  CancelMessageMoveTaskCommand,
  ListMessageMoveTasksCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulators } from '../../local/emulators.ts';
import { fill, queueWithDlq, settled, startMessaging, type QueuePair } from './support/move-task-queues.ts';

let emulators: Emulators;
let q: QueuePair;
const missingArn = 'arn:aws:sqs:us-east-1:000000000000:no-such-queue';
beforeAll(async () => {
  emulators = await startMessaging();
  q = await queueWithDlq(emulators, 'orders');
});
afterAll(() => emulators.stop());

describe('move task errors answer with SQS error codes and wording', () => {
  it('a second start on a source with a running task is refused', async () => {
    await fill(emulators, q.dlqUrl, 5);
    const { TaskHandle } = await emulators.clients.sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: q.dlqArn, MaxNumberOfMessagesPerSecond: 1 }),
    );
    await expect(
      emulators.clients.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: q.dlqArn })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message:
        'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
    });
    await emulators.clients.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    await settled(emulators, q.dlqArn);
  });

  it('an unknown source ARN is ResourceNotFoundException, for start and list', async () => {
    const notFound = {
      name: 'ResourceNotFoundException',
      message: 'The resource that you specified for the SourceArn parameter does not exist.',
    };
    await expect(
      emulators.clients.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: missingArn })),
    ).rejects.toMatchObject(notFound);
    await expect(
      emulators.clients.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: missingArn })),
    ).rejects.toMatchObject(notFound);
  });

  it('an unknown destination ARN is ResourceNotFoundException', async () => {
    await expect(
      emulators.clients.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: q.dlqArn, DestinationArn: missingArn })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The resource that you specified for the DestinationArn parameter does not exist.',
    });
  });

  it('a source that is no queue’s DLQ is refused', async () => {
    await expect(
      emulators.clients.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: q.sourceArn })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Source queue must be configured as a Dead Letter Queue.',
    });
  });

  it('a rate outside 1..500 is refused, naming the parameter and the range', async () => {
    await expect(
      emulators.clients.sqs.send(
        new StartMessageMoveTaskCommand({ SourceArn: q.dlqArn, MaxNumberOfMessagesPerSecond: 501 }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message:
        'Value 501 for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: must be an integer between 1 and 500.',
    });
  });

  it('an unknown task handle cannot be cancelled', async () => {
    await expect(
      emulators.clients.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'bm8tc3VjaC10YXNr' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The resource that you specified for the TaskHandle parameter does not exist.',
    });
  });
});
