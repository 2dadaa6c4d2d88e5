import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { loadSqs } from './clients.ts';
import { errorMessage } from './errors.ts';
import { batchesOf } from '../../contracts/runtime.ts';

export interface ClaimedBatch {
  /** Records deleted from the queue: they run now, and never again whatever happens. */
  readonly claimed: readonly SQSRecord[];
  /** Records whose delete failed: not run, left for redelivery (why, by messageId). */
  readonly unclaimed: ReadonlyMap<string, string>;
}

/**
 * At-most-once: deletes a batch's records from the queue *before* they run, so a timeout, a crash or
 * a thrown batch can never hand a started record to another invocation. A record whose delete fails
 * is not run (it comes back after its visibility timeout and gets another chance to be claimed).
 */
export async function claimRecords(
  client: SQSClient,
  queueUrl: string,
  records: readonly SQSRecord[],
): Promise<ClaimedBatch> {
  const { DeleteMessageBatchCommand } = await loadSqs();
  const unclaimed = new Map<string, string>();
  await Promise.all(
    batchesOf(records).map(async (chunk) => {
      try {
        const { Failed = [] } = await client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((record, i) => ({ Id: String(i), ReceiptHandle: record.receiptHandle })),
          }),
        );
        for (const failure of Failed) {
          const record = chunk[Number(failure.Id)];
          if (record)
            unclaimed.set(
              record.messageId,
              `claim (delete before running) failed: ${failure.Code ?? 'error'} ${failure.Message ?? ''}`.trim(),
            );
        }
      } catch (error) {
        for (const record of chunk)
          unclaimed.set(record.messageId, `claim (delete before running) failed: ${errorMessage(error)}`);
      }
    }),
  );
  return { claimed: records.filter((r) => !unclaimed.has(r.messageId)), unclaimed };
}
