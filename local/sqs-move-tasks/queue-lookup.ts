import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** A queue named by ARN, resolved against fauxqs. */
export interface QueueRef {
  readonly arn: string;
  readonly url: string;
  readonly fifo: boolean;
}

const QUEUE_ARN = /^arn:aws[\w-]*:sqs:[\w-]+:(\d{12}):([\w-]{1,80}(?:\.fifo)?)$/;

/** The queue an ARN names, or undefined when the ARN is malformed or no such queue exists. */
export async function findQueue(sqs: SQSClient, arn: string): Promise<QueueRef | undefined> {
  const match = QUEUE_ARN.exec(arn);
  if (!match) return undefined;
  try {
    const { QueueUrl } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: match[2], QueueOwnerAWSAccountId: match[1] }),
    );
    return { arn, url: QueueUrl!, fifo: match[2]!.endsWith('.fifo') };
  } catch (error) {
    if ((error as Error).name === 'QueueDoesNotExist') return undefined;
    throw error;
  }
}

/** Every queue whose RedrivePolicy dead-letters into `deadLetterArn` (the DLQ's "original source queues"). */
export async function redriveSources(sqs: SQSClient, deadLetterArn: string): Promise<QueueRef[]> {
  const urls: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sqs.send(new ListQueuesCommand({ MaxResults: 1000, NextToken }));
    urls.push(...(page.QueueUrls ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  const sources: QueueRef[] = [];
  for (const url of urls) {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'RedrivePolicy'] }),
    );
    if (!Attributes.RedrivePolicy) continue;
    const target = (JSON.parse(Attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn;
    if (target === deadLetterArn) sources.push({ arn: Attributes.QueueArn!, url, fifo: url.endsWith('.fifo') });
  }
  return sources;
}
