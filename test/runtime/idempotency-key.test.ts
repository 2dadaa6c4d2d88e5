import { describe, expect, it } from 'vitest';
import { unwrapRecord } from '../../lambdas/runtime/decode.ts';
import { idempotencyKey } from '../../lambdas/runtime/idempotency/key.ts';
import { parseKeySources } from '../../topology/consumer-env.ts';
import { rawRecord, snsRecord } from './support/events.ts';

const sources = parseKeySources('attribute:idempotencyKey,sns-message-id,fifo-dedup-id,message-id');
const keyOf = (record: ReturnType<typeof rawRecord>, source: 'sns' | 'sns-raw') =>
  idempotencyKey('ledger', sources, record, unwrapRecord(record, source));

describe('idempotency key sources, first present wins, scoped by consumer', () => {
  it('producer attribute, then SNS MessageId, then FIFO deduplication id, then SQS messageId', () => {
    const withAttribute = snsRecord('PaymentCaptured', {}, { snsMessageId: 'sns-1', attributes: { idempotencyKey: 'pay-1' } });
    const viaSns = snsRecord('PaymentCaptured', {}, { snsMessageId: 'sns-1', groupId: 'g', dedupId: 'dd-1' });
    const rawFifo = rawRecord('PaymentCaptured', {}, { groupId: 'g', dedupId: 'dd-1', messageId: 'm-1' });
    const rawStandard = rawRecord('PaymentCaptured', {}, { messageId: 'm-2' });

    expect(keyOf(withAttribute, 'sns')).toBe('ledger#attr:idempotencyKey:pay-1');
    expect(keyOf(viaSns, 'sns')).toBe('ledger#sns:sns-1');
    expect(keyOf(rawFifo, 'sns-raw')).toBe('ledger#dedup:dd-1');
    expect(keyOf(rawStandard, 'sns-raw')).toBe('ledger#msg:m-2');
  });

  it('falls back to the SQS messageId when no configured source is present', () => {
    const record = rawRecord('PaymentCaptured', {}, { messageId: 'm-3' });
    expect(idempotencyKey('jobs', [{ attribute: 'missing' }], record, unwrapRecord(record, 'sqs'))).toBe('jobs#msg:m-3');
  });
});
