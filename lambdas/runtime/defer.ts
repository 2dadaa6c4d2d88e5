import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { loadSqs } from './clients.ts';
import type { InvocationScope } from './definition.ts';
import { errorMessage } from './errors.ts';
import { SQS_LIMITS } from '../../contracts/runtime.ts';
import type { PartialOutcome } from './outcome.ts';

/**
 * Hides a record until `untilMs` (another attempt's lease end) so its redelivery finds the
 * holder finished or expired; the record is then reported as a batch item failure.
 */
export async function hideUntil(
  client: SQSClient,
  queueUrl: string,
  record: SQSRecord,
  untilMs: number,
  nowMs: number,
) {
  const seconds = Math.min(
    SQS_LIMITS.visibilityTimeoutMaxSeconds,
    Math.max(1, Math.ceil((untilMs - nowMs) / 1000) + 1),
  );
  const { ChangeMessageVisibilityCommand } = await loadSqs();
  await client.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrl,
      ReceiptHandle: record.receiptHandle,
      VisibilityTimeout: seconds,
    }),
  );
  return seconds;
}

/** Hides a record until another attempt's lease ends and reports it deferred (retried). */
export async function defer(
  scope: InvocationScope,
  record: SQSRecord,
  leaseExpiresAtMs: number,
): Promise<PartialOutcome> {
  const reason = `in progress in another invocation until ${new Date(leaseExpiresAtMs).toISOString()}`;
  try {
    const seconds = await hideUntil(await scope.sqs(), scope.config.queueUrl, record, leaseExpiresAtMs, scope.now());
    return { kind: 'deferred', reason: `${reason}; hidden for ${seconds}s` };
  } catch (error) {
    return { kind: 'deferred', reason: `${reason}; visibility change failed (${errorMessage(error)})` };
  }
}
