import type { CancelMessageMoveTaskResult } from '@aws-sdk/client-sqs';
import { stringField, type MoveTaskAction } from './context.ts';
import { InvalidParameterValueError, ResourceNotFoundError } from './errors.ts';

/** CancelMessageMoveTask: a RUNNING task stops after the step in flight (CANCELLING, then CANCELLED). */
export const cancelMessageMoveTask: MoveTaskAction = async (input, { store }) => {
  const handle = stringField(input, 'TaskHandle', true);
  const task = store.byHandle(handle);
  if (!task)
    throw new ResourceNotFoundError('The resource that you specified for the TaskHandle parameter does not exist.');
  if (task.status !== 'RUNNING') {
    throw new InvalidParameterValueError(
      `The task is ${task.status}; only a RUNNING message movement task can be cancelled.`,
    );
  }
  task.status = 'CANCELLING';
  return { ApproximateNumberOfMessagesMoved: task.moved } satisfies CancelMessageMoveTaskResult;
};
