import { ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { HOLD_SECONDS, toDeadLetter } from '../../client/dlq-peek.ts';
import { releaseMessages } from '../../client/sqs-util.ts';
import type { DeadLetterView } from './protocol.ts';

const RECEIVE_MAX = 10;

/**
 * Up to `max` messages of any queue without removing them, decoded as `fanout dlq peek` decodes them
 * (reason attributes, SNS envelope): received with a hold, then made visible again at once.
 */
export async function peekQueue(sqs: SQSClient, queueUrl: string, max: number): Promise<DeadLetterView[]> {
  const held: Message[] = [];
  const seen = new Set<string>();
  try {
    while (held.length < max) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(RECEIVE_MAX, max - held.length),
          VisibilityTimeout: HOLD_SECONDS,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      );
      const fresh = Messages.filter((m) => !seen.has(m.MessageId!));
      if (fresh.length === 0) break;
      for (const m of fresh) seen.add(m.MessageId!);
      held.push(...fresh);
    }
    return held.map((m) => {
      const { sourceQueueArn: _source, ...view } = toDeadLetter(m);
      return view;
    });
  } finally {
    await releaseMessages(sqs, queueUrl, held);
  }
}
