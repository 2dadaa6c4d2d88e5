import { describe, expect, it } from 'vitest';
import { interpretBatchResponse } from '../../local/esm/batch-response.ts';
import type { InvocationResult } from '../../local/lambda/function-definition.ts';

const ok = (payload: unknown): InvocationResult => ({ ok: true, payload, durationMs: 1, requestId: 'r' });
const ids = ['m1', 'm2', 'm3'];
const outcome = (payload: unknown, report = true) => interpretBatchResponse(ok(payload), ids, report);

describe('ReportBatchItemFailures rules', () => {
  it.each([null, undefined, {}, { batchItemFailures: [] }, { batchItemFailures: null }])(
    'treats %j as complete success',
    (payload) => {
      expect(outcome(payload)).toEqual({ kind: 'success' });
    },
  );

  it('fails only the listed records', () => {
    expect(outcome({ batchItemFailures: [{ itemIdentifier: 'm2' }] })).toEqual({
      kind: 'partial',
      failedMessageIds: new Set(['m2']),
    });
  });

  it.each([
    [{ batchItemFailures: [{ itemIdentifier: '' }] }, 'invalid itemIdentifier ""'],
    [{ batchItemFailures: [{ itemIdentifier: null }] }, 'invalid itemIdentifier null'],
    [{ batchItemFailures: [{ id: 'm1' }] }, 'invalid itemIdentifier null'],
    [{ batchItemFailures: [{ itemIdentifier: 'unknown' }] }, "itemIdentifier 'unknown' is not in the batch"],
    [{ batchItemFailures: 'm1' }, 'batchItemFailures is not a list'],
    ['m1', 'response is not a JSON object'],
  ])('fails the whole batch for %j', (payload, reason) => {
    expect(outcome(payload)).toEqual({ kind: 'failed', reason });
  });

  it('ignores the response when the mapping does not report batch item failures', () => {
    expect(outcome({ batchItemFailures: [{ itemIdentifier: 'm1' }] }, false)).toEqual({ kind: 'success' });
  });

  it('fails the whole batch when the function errors', () => {
    const error: InvocationResult = {
      ok: false,
      error: { errorType: 'Error', errorMessage: 'boom' },
      durationMs: 1,
      requestId: 'r',
    };
    expect(interpretBatchResponse(error, ids, true)).toEqual({ kind: 'failed', reason: 'Error: boom' });
  });
});
