import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { S3Client } from '@aws-sdk/client-s3';
import { resolveMessageBody } from '../../../../client/claim-check.ts';
import { viewMessage } from '../../../../client/sqs-util.ts';
import { decodeDeadLetterReason } from '../../../../contracts/dead-letter.ts';
import { DEFAULT_PRODUCER_KEY_ATTRIBUTE } from '../../../../topology/defaults.ts';
import type { DeadLetterSeen } from './observations.ts';

/** Decodes a DLQ message (envelope or raw, inline or claim-checked) to its event type, payload and reason. */
export async function decodeDeadLetter(m: Message, s3: S3Client | undefined): Promise<DeadLetterSeen> {
  const view = viewMessage(m);
  const attributes = Object.fromEntries(Object.entries(view.attributes).map(([k, v]) => [k, { StringValue: v }]));
  const text = s3 ? await resolveMessageBody(s3, view.payload, attributes).catch(() => view.payload) : view.payload;
  let payload: unknown = text;
  try {
    payload = JSON.parse(text);
  } catch {
    // a malformed body stays text
  }
  return {
    eventType: view.eventType,
    payload,
    key: view.attributes[DEFAULT_PRODUCER_KEY_ATTRIBUTE],
    reason: decodeDeadLetterReason(view.attributes),
  };
}

/** Receives and deletes everything in a DLQ (FIFO groups one message at a time), decoded. */
export async function drainDeadLetters(
  sqs: SQSClient,
  queueUrl: string,
  s3: S3Client | undefined,
): Promise<DeadLetterSeen[]> {
  const seen: DeadLetterSeen[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 30,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return seen;
    for (const m of Messages) seen.push(await decodeDeadLetter(m, s3));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
}
