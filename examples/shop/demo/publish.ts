import { PublishBatchCommand, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { LocalCloud } from 'fanout/local';
import type { DemoWave } from './traffic.ts';

type AwsClients = LocalCloud['clients'];

/** Batches of ten, the most one SNS or SQS batch call takes. */
function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += 10) yield items.slice(i, i + 10);
}

export interface DemoTargets {
  readonly ordersTopicArn: string;
  readonly paymentsTopicArn: string;
  readonly jobsQueueUrl: string;
}

/** A batch the demo sent was refused in part: which destination and each refused entry's reason. */
export class DemoSendError extends Error {
  override readonly name = 'DemoSendError';
  constructor(destination: string, failed: readonly { readonly Id?: string; readonly Message?: string }[]) {
    super(`sending to ${destination} failed: ${failed.map((f) => `${f.Id}: ${f.Message}`).join('; ')}`);
  }
}

async function publishAll(
  clients: AwsClients,
  topicArn: string,
  entries: readonly PublishBatchRequestEntry[],
  onSent: (n: number) => void,
): Promise<void> {
  for (const chunk of chunks(entries)) {
    const { Failed = [] } = await clients.sns.send(
      new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: chunk }),
    );
    if (Failed.length) throw new DemoSendError(topicArn, Failed);
    onSent(chunk.length);
  }
}

async function sendAll(
  clients: AwsClients,
  queueUrl: string,
  entries: readonly SendMessageBatchRequestEntry[],
  onSent: (n: number) => void,
): Promise<void> {
  for (const chunk of chunks(entries)) {
    const { Failed = [] } = await clients.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk }));
    if (Failed.length) throw new DemoSendError(queueUrl, Failed);
    onSent(chunk.length);
  }
}

/** Publishes one wave with the plain AWS SDK (orders, payments and jobs concurrently). */
export async function publishWave(
  clients: AwsClients,
  targets: DemoTargets,
  wave: DemoWave,
  onSent: (n: number) => void,
): Promise<void> {
  await Promise.all([
    publishAll(clients, targets.ordersTopicArn, wave.orders, onSent),
    publishAll(clients, targets.paymentsTopicArn, wave.payments, onSent),
    sendAll(clients, targets.jobsQueueUrl, wave.jobs, onSent),
  ]);
}

export const waveSize = (wave: DemoWave) => wave.orders.length + wave.payments.length + wave.jobs.length;
