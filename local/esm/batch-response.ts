import type { InvocationResult } from '../lambda/function-definition.ts';

/** What the event source mapping does with a batch after the function returned. */
export type BatchOutcome =
  | { readonly kind: 'success' }
  | { readonly kind: 'partial'; readonly failedMessageIds: ReadonlySet<string> }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * Lambda's rules for an SQS batch: a function error fails the whole batch; without
 * `ReportBatchItemFailures` the response is ignored; with it, an empty or null list (or response)
 * is success, and an invalid shape or a null / empty / unknown `itemIdentifier` fails the whole batch.
 */
export function interpretBatchResponse(
  result: InvocationResult,
  messageIds: readonly string[],
  reportBatchItemFailures: boolean,
): BatchOutcome {
  if (!result.ok) return { kind: 'failed', reason: `${result.error.errorType}: ${result.error.errorMessage}` };
  if (!reportBatchItemFailures) return { kind: 'success' };
  const payload = result.payload;
  if (payload === null || payload === undefined) return { kind: 'success' };
  if (typeof payload !== 'object' || Array.isArray(payload))
    return { kind: 'failed', reason: 'response is not a JSON object' };
  const failures = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'failed', reason: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'success' };
  const known = new Set(messageIds);
  const failed = new Set<string>();
  for (const entry of failures) {
    const id =
      entry !== null && typeof entry === 'object' ? (entry as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '')
      return { kind: 'failed', reason: `invalid itemIdentifier ${JSON.stringify(id ?? null)}` };
    if (!known.has(id)) return { kind: 'failed', reason: `itemIdentifier '${id}' is not in the batch` };
    failed.add(id);
  }
  return { kind: 'partial', failedMessageIds: failed };
}
