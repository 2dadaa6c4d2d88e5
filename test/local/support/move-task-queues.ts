import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type ListMessageMoveTasksResultEntry,
  type Message,
} from '@aws-sdk/client-sqs';
import { startEmulators, type Emulators } from '../../../local/emulators.ts';
import { waitFor } from '../../support/local-cloud.ts';
import { sharedDynamoDb } from '../../support/shared-dynamodb.ts';

export const REGION = 'us-east-1';

export interface QueuePair {
  readonly sourceUrl: string;
  readonly sourceArn: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
}

export const startMessaging = (): Promise<Emulators> => startEmulators({ messaging: 0 }, REGION, sharedDynamoDb());

async function arnOf(emulators: Emulators, url: string): Promise<string> {
  const { Attributes } = await emulators.clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return Attributes!.QueueArn!;
}

/** A queue and its DLQ (RedrivePolicy on the queue), created through the SDK. */
export async function queueWithDlq(emulators: Emulators, name: string, fifo = false): Promise<QueuePair> {
  const suffix = fifo ? '.fifo' : '';
  const fifoAttributes: Record<string, string> = fifo ? { FifoQueue: 'true' } : {};
  const sqs = emulators.clients.sqs;
  const { QueueUrl: dlqUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: `${name}-dlq${suffix}`, Attributes: fifoAttributes }),
  );
  const dlqArn = await arnOf(emulators, dlqUrl!);
  const { QueueUrl: sourceUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${name}${suffix}`,
      Attributes: {
        ...fifoAttributes,
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }),
      },
    }),
  );
  return { sourceUrl: sourceUrl!, sourceArn: await arnOf(emulators, sourceUrl!), dlqUrl: dlqUrl!, dlqArn };
}

/** Sends `count` messages `m-0`… to the queue, each with a `seq` attribute (and a group for FIFO). */
export async function fill(
  emulators: Emulators,
  url: string,
  count: number,
  group?: (i: number) => string,
): Promise<void> {
  for (let start = 0; start < count; start += 10) {
    const ids = Array.from({ length: Math.min(10, count - start) }, (_, k) => start + k);
    await emulators.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: ids.map((i) => ({
          Id: String(i),
          MessageBody: `m-${i}`,
          MessageAttributes: {
            seq: { DataType: 'Number', StringValue: String(i) },
            tenant: { DataType: 'String', StringValue: `t-${i % 2}` },
          },
          ...(group ? { MessageGroupId: group(i), MessageDeduplicationId: `d-${i}` } : {}),
        })),
      }),
    );
  }
}

/** Receives and deletes every message of the queue, in receive order (a FIFO group's next message comes after a delete). */
export async function receiveAll(emulators: Emulators, url: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await emulators.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages);
    await emulators.clients.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
}

export async function depth(emulators: Emulators, url: string): Promise<number> {
  const { Attributes } = await emulators.clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes!.ApproximateNumberOfMessages);
}

export async function latestTask(emulators: Emulators, sourceArn: string): Promise<ListMessageMoveTasksResultEntry> {
  const { Results = [] } = await emulators.clients.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn }));
  return Results[0]!;
}

/** Waits until the source's latest task has ended (any status other than RUNNING / CANCELLING). */
export const settled = (emulators: Emulators, sourceArn: string) =>
  waitFor('the move task to end', async () => {
    const task = await latestTask(emulators, sourceArn);
    return task.Status !== 'RUNNING' && task.Status !== 'CANCELLING' && task;
  });
