import type { ListMessageMoveTasksResult } from '@aws-sdk/client-sqs';
import { integerField, stringField, type MoveTaskAction } from './context.ts';
import { InvalidParameterValueError, ResourceNotFoundError } from './errors.ts';
import { MOVE_TASK_LIMITS } from './limits.ts';
import { toListEntry } from './move-task-store.ts';
import { findQueue } from './queue-lookup.ts';

const { minListResults, maxListResults, defaultListResults } = MOVE_TASK_LIMITS;

/** ListMessageMoveTasks: the source's most recent tasks first, at most MaxResults (default 1). */
export const listMessageMoveTasks: MoveTaskAction = async (input, { store, sqs }) => {
  const sourceArn = stringField(input, 'SourceArn', true);
  const maxResults =
    integerField(
      input,
      'MaxResults',
      minListResults,
      maxListResults,
      (value) =>
        new InvalidParameterValueError(
          `Value ${JSON.stringify(value)} for parameter MaxResults is invalid. Reason: must be between ${minListResults} and ${maxListResults}.`,
        ),
    ) ?? defaultListResults;
  if (!(await findQueue(sqs, sourceArn)))
    throw new ResourceNotFoundError('The resource that you specified for the SourceArn parameter does not exist.');
  return {
    Results: store.forSource(sourceArn).slice(0, maxResults).map(toListEntry),
  } satisfies ListMessageMoveTasksResult;
};
