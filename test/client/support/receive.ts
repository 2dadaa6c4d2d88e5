import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';

/**
 * Receives (and deletes) until `count` messages arrived or receives come back empty `patience` times
 * (each empty receive long-polls `waitSeconds`).
 */
export async function drain(
  sqs: SQSClient,
  queueUrl: string,
  count = Infinity,
  { patience = 2, waitSeconds = 0 }: { patience?: number; waitSeconds?: number } = {},
): Promise<Message[]> {
  const all: Message[] = [];
  let empty = 0;
  while (all.length < count && empty < patience) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: waitSeconds,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) {
      empty++;
      continue;
    }
    empty = 0;
    all.push(...Messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
  return all;
}
