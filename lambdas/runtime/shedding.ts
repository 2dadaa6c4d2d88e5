import type { SQSClient } from '@aws-sdk/client-sqs';
import { loadSqs } from './clients.ts';
import { SQS_LIMITS } from '../../contracts/runtime.ts';
import { RUNTIME_DEFAULTS } from './limits.ts';

export interface ShedResult {
  readonly depth: number;
  readonly shedMessageIds: readonly string[];
}

/**
 * Drop-oldest shedding for at-most-once endpoints. When the queue's visible backlog exceeds
 * `maxDepth`, receives and deletes up to the excess, at most 10 per pass, reading the depth again
 * after each receive: containers shedding at the same time see each other's received messages, so
 * together they shed at most the excess (a contended pass may shed less; the next check catches up). Approximations: the
 * depth is SQS's approximate count; a standard queue returns roughly-oldest messages, not strictly
 * the oldest; messages in flight in other invocations are not counted or shed.
 */
export async function shedExcess(client: SQSClient, queueUrl: string, maxDepth: number): Promise<ShedResult> {
  const {
    ChangeMessageVisibilityBatchCommand,
    DeleteMessageBatchCommand,
    GetQueueAttributesCommand,
    ReceiveMessageCommand,
  } = await loadSqs();
  const readDepth = async () => {
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  };
  const depth = await readDepth();
  let excess = depth - maxDepth;
  const shedMessageIds: string[] = [];
  for (let pass = 0; excess > 0 && pass < RUNTIME_DEFAULTS.shedReceivesMax; pass++) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(SQS_LIMITS.batchEntriesMax, excess),
        VisibilityTimeout: 30,
        WaitTimeSeconds: 0,
      }),
    );
    if (Messages.length === 0) break;
    // Received messages are invisible to everyone: the depth now counts what other containers hold
    // too, so together they never shed more than the excess (a container takes only its share).
    const visible = await readDepth();
    const allowed = Math.max(0, Math.min(Messages.length, visible + Messages.length - maxDepth));
    const [shed, kept] = [Messages.slice(0, allowed), Messages.slice(allowed)];
    if (kept.length > 0) {
      await client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: kept.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
        }),
      );
    }
    if (shed.length === 0) break;
    const { Successful = [] } = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: shed.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
    for (const entry of Successful) shedMessageIds.push(shed[Number(entry.Id)]!.MessageId!);
    excess = visible + kept.length - maxDepth;
  }
  return { depth, shedMessageIds };
}
