import { describe, expectTypeOf, it } from 'vitest';
import type { EventName, PayloadOf, Publisher } from '../../client/publisher.ts';
import type { fixtureTopology } from '../fixtures/app/topology.ts';

type Reference = typeof fixtureTopology;

// Checked by `tsc --noEmit` (npm test): event names and payloads are inferred from the topology's schemas.
describe('publisher types come from the topology', () => {
  it('event names are the topology event types', () => {
    expectTypeOf<EventName<Reference>>().toEqualTypeOf<
      'CartPlaced' | 'CartCancelled' | 'CartShipped' | 'FundsCaptured' | 'FundsRefunded' | 'TaskRequested'
    >();
  });

  it('payloads are the schema input types', () => {
    expectTypeOf<PayloadOf<Reference, 'FundsCaptured'>>().toEqualTypeOf<{
      paymentId: string;
      accountId: string;
      amountCents: number;
    }>();
    expectTypeOf<PayloadOf<Reference, 'TaskRequested'>['kind']>().toEqualTypeOf<'word-count' | 'checksum'>();
  });

  it('publish refuses unknown event types and wrong payloads at compile time', () => {
    const check = (p: Publisher<Reference>) => {
      // @ts-expect-error unknown event type
      void p.publish('OrderLost', {});
      // @ts-expect-error amountCents must be a number
      void p.publish('FundsCaptured', { paymentId: 'p', accountId: 'a', amountCents: '5' });
      void p.publish('FundsCaptured', { paymentId: 'p', accountId: 'a', amountCents: 5 });
    };
    expectTypeOf(check).toBeFunction();
  });
});
