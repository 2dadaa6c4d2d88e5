import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerEnvironment } from '../../../../lib/consumer-environment.ts';
import { createConsumer, readConsumerConfig } from '../../../../lambdas/runtime/index.ts';
import { resolveTopology } from '../../../../topology/index.ts';
import { captureSink, lambdaContext, snsRecord } from '../../../../test/support/lambda-events.ts';
import {
  IDEMPOTENCY_TABLE,
  payment,
  startLedgerWorld,
  type LedgerWorld,
} from '../../../../test/support/ledger-world.ts';
import { handler as ledger } from '../../handlers/ledger.ts';
import { referenceTopology } from '../../topology.ts';

// The shop's ledger keys a payment's refunds by their own id: several refunds of one payment all apply.
let world: LedgerWorld;
beforeAll(async () => {
  world = await startLedgerWorld();
});
afterAll(async () => {
  await world.close();
});

const keyed = (accountId: string, key: string) => ({ groupId: accountId, attributes: { idempotencyKey: key } });

describe('the shop ledger keys refunds by refundId (topology: idempotencyKeyByEvent)', () => {
  it('refunds of 100, 100 and 250 on one payment, each with its own producer key, all apply: 1000 - 450 = 550', async () => {
    const endpoint = resolveTopology(referenceTopology, 'dev').endpoints.find((e) => e.name === 'ledger')!;
    // The configuration a deployed ledger reads: the stack's environment, through the contract.
    const config = readConsumerConfig({
      ...consumerEnvironment(endpoint, {
        queueUrl: 'http://queue',
        idempotencyTableName: IDEMPOTENCY_TABLE,
        replyQueuePrefix: 'fanout-dev-reply-',
        tableNames: { ledger: 'ledger' },
      }),
    });
    const capture = captureSink();
    const handler = createConsumer(ledger.definition, config, { store: world.store, sink: capture.sink });
    const account = 'acc-refunds';
    const refund = (refundId: string, amountCents: number) =>
      snsRecord(
        'PaymentRefunded',
        { ...payment(account, 'p-refunded', amountCents), refundId },
        keyed(account, `producer-${refundId}`),
      );
    const records = [
      snsRecord('PaymentCaptured', payment(account, 'p-refunded', 1000), keyed(account, 'producer-capture')),
      refund('r-1', 100),
      refund('r-2', 100),
      refund('r-3', 250),
    ];
    expect(await handler({ Records: records }, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(records.map((r) => capture.outcomeOf(r.messageId)?.outcome)).toEqual([
      'processed',
      'processed',
      'processed',
      'processed',
    ]);
    expect(await world.balance(account)).toEqual({ balance: 550, entries: 4 });
    // A redelivery of a refund is still a duplicate.
    await handler({ Records: [refund('r-2', 100)] }, lambdaContext());
    expect(await world.balance(account)).toEqual({ balance: 550, entries: 4 });
  });
});
