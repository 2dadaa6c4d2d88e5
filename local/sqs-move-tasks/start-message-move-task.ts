import { randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand, type StartMessageMoveTaskResult } from '@aws-sdk/client-sqs';
import { integerField, stringField, type MoveTaskAction } from './context.ts';
import { InvalidParameterValueError, ResourceNotFoundError } from './errors.ts';
import { MOVE_TASK_LIMITS } from './limits.ts';
import { taskHandle, type MoveTask } from './move-task-store.ts';
import { runMoveTask } from './mover.ts';
import { findQueue, redriveSources } from './queue-lookup.ts';

const { minMessagesPerSecond, maxMessagesPerSecond } = MOVE_TASK_LIMITS;

/** StartMessageMoveTask: validates like SQS, records the task and starts moving in the background. */
export const startMessageMoveTask: MoveTaskAction = async (input, { store, sqs }) => {
  const sourceArn = stringField(input, 'SourceArn', true);
  const destinationArn = stringField(input, 'DestinationArn');
  const maxPerSecond = integerField(
    input,
    'MaxNumberOfMessagesPerSecond',
    minMessagesPerSecond,
    maxMessagesPerSecond,
    (value) =>
      new InvalidParameterValueError(
        `Value ${JSON.stringify(value)} for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: must be an integer between ${minMessagesPerSecond} and ${maxMessagesPerSecond}.`,
      ),
  );
  const source = await findQueue(sqs, sourceArn);
  if (!source)
    throw new ResourceNotFoundError('The resource that you specified for the SourceArn parameter does not exist.');
  const sources = await redriveSources(sqs, sourceArn);
  if (sources.length === 0)
    throw new InvalidParameterValueError('Source queue must be configured as a Dead Letter Queue.');
  if (store.activeFor(sourceArn)) {
    throw new InvalidParameterValueError(
      'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
    );
  }
  const destination = destinationArn ? await findQueue(sqs, destinationArn) : sources[0];
  if (!destination)
    throw new ResourceNotFoundError('The resource that you specified for the DestinationArn parameter does not exist.');
  if (!destinationArn && sources.length > 1) {
    // fauxqs does not record which queue dead-lettered a message, so "back to its source" is ambiguous here.
    throw new InvalidParameterValueError(
      `Source queue is the dead-letter queue of ${sources.length} queues (${sources.map((s) => s.arn).join(', ')}); the local cloud cannot tell which queue each message came from. Pass DestinationArn.`,
    );
  }
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: source.url, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  const task: MoveTask = {
    handle: taskHandle(randomUUID(), sourceArn),
    sourceArn,
    destinationArn,
    maxPerSecond,
    startedAt: Date.now(),
    toMove: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    status: 'RUNNING',
    moved: 0,
  };
  store.add(task);
  task.done = runMoveTask(sqs, task, source, destination);
  return { TaskHandle: task.handle } satisfies StartMessageMoveTaskResult;
};
