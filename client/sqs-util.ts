import { batchesOf, splitSnsEnvelope } from '../contracts/index.ts';
import { EVENT_TYPE_ATTRIBUTE } from '../topology/index.ts';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  type MessageAttributeValue,
  type QueueAttributeName,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export async function queueAttributes(
  sqs: SQSClient,
  queueUrl: string,
  names: QueueAttributeName[],
): Promise<Record<string, string>> {
  const r = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: names }));
  return r.Attributes ?? {};
}

/** Makes held messages visible again at once (they stay in the queue). */
export async function releaseMessages(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<void> {
  for (const batch of batchesOf(messages)) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
      }),
    );
  }
}

export interface MessageFailure {
  readonly messageId: string;
  readonly error: string;
}

/** Deletes received messages (up to 10); returns those it could not delete (entry failures, or all of them when the call failed). */
export async function deleteMessages(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly Message[],
): Promise<MessageFailure[]> {
  try {
    const { Failed = [] } = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
    return Failed.map((f) => ({ messageId: messages[Number(f.Id)]!.MessageId!, error: `${f.Code}: ${f.Message}` }));
  } catch (error) {
    const e = error as Error;
    return messages.map((m) => ({ messageId: m.MessageId!, error: `${e.name}: ${e.message}` }));
  }
}

/**
 * A received message seen through its SNS envelope (if any): event type, attributes (the envelope's,
 * then the message's own, which win) and payload text.
 */
export interface MessageView {
  readonly eventType: string | undefined;
  readonly attributes: Readonly<Record<string, string>>;
  readonly payload: string;
  /** The SNS envelope without its `Message`, when the body is one. */
  readonly envelope: Readonly<Record<string, unknown>> | undefined;
}

function sqsAttributes(attributes: Record<string, MessageAttributeValue> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes ?? {}).map(([k, v]) => [k, v.StringValue ?? `(${v.DataType})`]));
}

export function viewMessage(message: Message): MessageView {
  const { envelope, message: payload } = splitSnsEnvelope(message.Body ?? '');
  const carried = (envelope?.MessageAttributes ?? {}) as Record<string, { Value: string }>;
  const attributes = {
    ...Object.fromEntries(Object.entries(carried).map(([k, v]) => [k, v.Value])),
    ...sqsAttributes(message.MessageAttributes),
  };
  return { eventType: attributes[EVENT_TYPE_ATTRIBUTE], attributes, payload, envelope };
}
