import { describe, expect, it } from 'vitest';
import { unwrapRecord } from '../../lambdas/runtime/decode.ts';
import { idempotencyKey, payloadFingerprint } from '../../lambdas/runtime/idempotency/key.ts';
import { parseKeySources } from '../../contracts/consumer-env.ts';
import { rawRecord, snsRecord } from '../support/lambda-events.ts';

const sources = parseKeySources('attribute:idempotencyKey,sns-message-id,fifo-dedup-id,message-id')!;
const keyOf = (record: ReturnType<typeof rawRecord>, source: 'sns' | 'sns-raw', payload: unknown = {}) =>
  idempotencyKey('ledger', sources, record, unwrapRecord(record, source), payload);

describe('idempotency key sources, first present wins, scoped by consumer and event type', () => {
  it('producer attribute, then SNS MessageId, then FIFO deduplication id, then SQS messageId', () => {
    const withAttribute = snsRecord(
      'FundsCaptured',
      {},
      { snsMessageId: 'sns-1', attributes: { idempotencyKey: 'pay-1' } },
    );
    const viaSns = snsRecord('FundsCaptured', {}, { snsMessageId: 'sns-1', groupId: 'g', dedupId: 'dd-1' });
    const rawFifo = rawRecord('FundsCaptured', {}, { groupId: 'g', dedupId: 'dd-1', messageId: 'm-1' });
    const rawStandard = rawRecord('FundsCaptured', {}, { messageId: 'm-2' });

    expect(keyOf(withAttribute, 'sns')).toBe('ledger#FundsCaptured#attr:idempotencyKey:pay-1');
    expect(keyOf(viaSns, 'sns')).toBe('ledger#FundsCaptured#sns:sns-1');
    expect(keyOf(rawFifo, 'sns-raw')).toBe('ledger#FundsCaptured#dedup:dd-1');
    expect(keyOf(rawStandard, 'sns-raw')).toBe('ledger#FundsCaptured#msg:m-2');
  });

  it('falls back to the SQS messageId when no configured source is present', () => {
    const record = rawRecord('FundsCaptured', {}, { messageId: 'm-3' });
    expect(idempotencyKey('jobs', [{ attribute: 'missing' }], record, unwrapRecord(record, 'sqs'), {})).toBe(
      'jobs#FundsCaptured#msg:m-3',
    );
  });

  it('one business key names a capture and its refund apart: keys are scoped by event type', () => {
    const payment = { paymentId: 'p-1', accountId: 'a-1', amountCents: 500 };
    const capture = rawRecord('FundsCaptured', payment);
    const refunded = { ...payment, refundId: 'r-1' };
    const refund = rawRecord('FundsRefunded', refunded);
    const byField = [{ field: 'paymentId' }] as const;
    const captureKey = idempotencyKey('ledger', byField, capture, unwrapRecord(capture, 'sns-raw'), payment);
    const refundKey = idempotencyKey('ledger', byField, refund, unwrapRecord(refund, 'sns-raw'), refunded);
    expect(captureKey).toBe('ledger#FundsCaptured#field:paymentId:p-1');
    expect(refundKey).toBe('ledger#FundsRefunded#field:paymentId:p-1');
  });

  it('a key too long for DynamoDB is hashed after the consumer prefix, which IAM scopes records by', () => {
    const record = snsRecord('FundsCaptured', {}, { attributes: { idempotencyKey: 'k'.repeat(3000) } });
    const key = keyOf(record, 'sns');
    expect(key).toMatch(/^ledger#sha256:[0-9a-f]{64}$/);
  });

  it('fingerprints payloads independently of key order', () => {
    expect(payloadFingerprint({ a: 1, b: [{ c: 2, d: 3 }] })).toBe(payloadFingerprint({ b: [{ d: 3, c: 2 }], a: 1 }));
    expect(payloadFingerprint({ a: 1 })).not.toBe(payloadFingerprint({ a: 2 }));
  });
});
