import type { ResolvedEndpoint } from '../topology/index.ts';
import { OUTPUT_KEYS } from '../contracts/index.ts';
import { NoDeadLetterQueueError } from './errors.ts';
import type { OperatorContext } from './operator.ts';

/**
 * Which of an endpoint's dead-letter queues a DLQ tool reads: `queue`, the queue's DLQ (the consumer
 * runtime's and SQS's redrive target), or `subscription`, the SNS subscription's DLQ (messages SNS
 * could not deliver to the queue: a deleted queue, a KMS or policy error).
 */
export type DeadLetterSource = 'queue' | 'subscription';

export interface DeadLetterQueues {
  readonly endpoint: ResolvedEndpoint;
  readonly deadLetterQueueUrl: string;
  /** Where a replay sends the messages back: the endpoint's queue either way. */
  readonly queueUrl: string;
}

/** The DLQ `source` of `subscriber`, or one line saying why it has none and what to do. */
export function deadLetterQueues(
  ctx: OperatorContext,
  subscriber: string,
  source: DeadLetterSource,
  action: 'peek' | 'pull' | 'replay' | 'purge',
): DeadLetterQueues {
  const { endpoint, queueUrl, deadLetterQueueUrl } = ctx.target.endpoint(subscriber);
  if (source === 'queue') {
    if (!deadLetterQueueUrl) {
      const what = { peek: 'no DLQ', pull: 'no DLQ', replay: 'no DLQ to replay from', purge: 'no DLQ to purge' }[
        action
      ];
      throw new NoDeadLetterQueueError(
        `Subscriber '${subscriber}' is ${endpoint.delivery} and has ${what}` +
          (action === 'replay' ? '.' : ': failed messages are dropped, not kept.'),
      );
    }
    return { endpoint, queueUrl, deadLetterQueueUrl };
  }
  if (endpoint.topic === undefined) {
    throw new NoDeadLetterQueueError(
      `'${subscriber}' is a work queue: no SNS subscription, so no subscription DLQ. Leave out --subscription to ${action} its DLQ.`,
    );
  }
  const url = ctx.target.outputs.get(OUTPUT_KEYS.subscriptionDeadLetterQueueUrl(subscriber));
  if (!url) {
    throw new NoDeadLetterQueueError(
      `The stack has no output '${OUTPUT_KEYS.subscriptionDeadLetterQueueUrl(subscriber)}' (deployed before it was added): ` +
        `deploy the stack again to ${action} the subscription DLQ of '${subscriber}'.`,
    );
  }
  return { endpoint, queueUrl, deadLetterQueueUrl: url };
}
