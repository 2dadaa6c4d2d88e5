import type { SQSClient } from '@aws-sdk/client-sqs';
import { holdMessages, releaseMessages, toDeadLetter } from '../client/cli/index.ts';
import type { DeadLetterView } from './protocol.ts';

/**
 * Up to `max` messages of any queue without removing them, decoded as `fanout dlq peek` decodes them
 * (reason attributes, SNS envelope): received with a hold, then made visible again at once.
 */
export async function peekQueue(sqs: SQSClient, queueUrl: string, max: number): Promise<DeadLetterView[]> {
  const held = await holdMessages(sqs, queueUrl, max);
  try {
    return held.map((m) => {
      const { sourceQueueArn: _source, ...view } = toDeadLetter(m);
      return view;
    });
  } finally {
    await releaseMessages(sqs, queueUrl, held);
  }
}
