import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { loadSqs } from './clients.ts';
import { SQS_LIMITS } from './limits.ts';

/**
 * Hides a record until `untilMs` (another attempt's lease end) so its redelivery finds the
 * holder finished or expired; the record is then reported as a batch item failure.
 */
export async function hideUntil(client: SQSClient, queueUrl: string, record: SQSRecord, untilMs: number, nowMs: number) {
  const seconds = Math.min(SQS_LIMITS.visibilityTimeoutMaxSeconds, Math.max(1, Math.ceil((untilMs - nowMs) / 1000) + 1));
  const { ChangeMessageVisibilityCommand } = await loadSqs();
  await client.send(
    new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }),
  );
  return seconds;
}
