import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { queueAttributes } from '../../../client/sqs-util.ts';

/** Receives without deleting (visibility 0) until SQS redrives all `count` messages to the DLQ. */
export async function exhaustToDlq(sqs: SQSClient, queueUrl: string, dlqUrl: string, count: number): Promise<void> {
  for (let round = 0; round < 500; round++) {
    const dlq = await queueAttributes(sqs, dlqUrl, ['ApproximateNumberOfMessages']);
    if (Number(dlq.ApproximateNumberOfMessages) >= count) return;
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
  }
  throw new Error(`messages of ${queueUrl} did not reach its DLQ`);
}
