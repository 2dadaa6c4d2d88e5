import type { SNSClient } from '@aws-sdk/client-sns';

interface Entry {
  readonly MessageAttributes?: Record<string, { StringValue?: string }>;
}

/**
 * Loses responses of the publisher's own SNS client: the request reaches SNS (`next()` runs), then
 * the call fails with a retryable network error, so the SDK sends it again. Returns the number of
 * responses still to lose per correlationId.
 */
export function loseResponses(sns: SNSClient): Map<string, number> {
  const remaining = new Map<string, number>();
  sns.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as {
        PublishBatchRequestEntries?: Entry[];
        MessageAttributes?: Entry['MessageAttributes'];
      };
      const entries: Entry[] = input.PublishBatchRequestEntries ?? [input];
      const ids = entries
        .map((e) => e.MessageAttributes?.correlationId?.StringValue)
        .filter((id): id is string => (remaining.get(id ?? '') ?? 0) > 0);
      const result = await next(args);
      if (ids.length === 0) return result;
      for (const id of ids) remaining.set(id, remaining.get(id)! - 1);
      throw Object.assign(new Error(`response lost after SNS accepted the request (injected; ${ids.join(', ')})`), {
        name: 'TimeoutError',
        code: 'ECONNRESET',
        $metadata: {},
      });
    },
    { step: 'deserialize', name: 'loseResponsesForTest' },
  );
  return remaining;
}
