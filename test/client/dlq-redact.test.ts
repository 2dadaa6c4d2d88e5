import { describe, expect, it } from 'vitest';
import { redactPayloads } from '../../client/dlq-redact.ts';

const letter = (messageId: string, payload: unknown) => ({ messageId, payload: JSON.stringify(payload) });

describe('redactPayloads (fanout dlq pull --redact)', () => {
  it('masks each named field keeping its shape (letters x, digits 1) and counts the payloads it matched', () => {
    const { payloads, matched } = redactPayloads(
      [
        letter('m-1', {
          orderId: 'o-1',
          email: 'ann@shop.io',
          totalCents: 700,
          gift: true,
          customer: { name: 'Änn 2' },
        }),
        letter('m-2', { orderId: 'o-2', totalCents: 5 }),
      ],
      ['email', 'totalCents', 'gift', 'customer'],
    );
    expect(payloads.map((p) => JSON.parse(p))).toEqual([
      { orderId: 'o-1', email: 'xxx@xxxx.xx', totalCents: 111, gift: false, customer: { name: 'xxx 1' } },
      { orderId: 'o-2', totalCents: 1 },
    ]);
    expect(matched).toEqual({ email: 1, totalCents: 2, gift: 1, customer: 1 });
  });

  it('follows dotted paths through objects, through every element of an array, or to one index', () => {
    const payload = { items: [{ sku: 's-1', note: 'x' }, { sku: 's-2' }], customer: { address: { street: 'Main' } } };
    const every = redactPayloads([letter('m-1', payload)], ['items.sku', 'customer.address.street']);
    expect(JSON.parse(every.payloads[0]!)).toEqual({
      items: [{ sku: 'x-1', note: 'x' }, { sku: 'x-1' }],
      customer: { address: { street: 'xxxx' } },
    });
    const one = redactPayloads([letter('m-1', payload)], ['items.1.sku']);
    expect(JSON.parse(one.payloads[0]!).items).toEqual([{ sku: 's-1', note: 'x' }, { sku: 'x-1' }]);
  });

  it('leaves the payloads untouched without paths', () => {
    expect(redactPayloads([{ messageId: 'm-1', payload: 'not json' }], []).payloads).toEqual(['not json']);
  });

  it('refuses a path that matches no field of any payload: a typo must not let the value through', () => {
    expect(() => redactPayloads([letter('m-1', { email: 'a@b.co' })], ['email', 'emial'])).toThrow(
      "--redact 'emial' matches no field in the 1 payload(s) pulled; nothing was written. Fix: correct the path (dotted, from the payload's top: 'customer.email').",
    );
  });

  it('refuses to redact a payload that is not JSON, naming the message', () => {
    expect(() => redactPayloads([{ messageId: 'm-9', payload: 'plain text' }], ['email'])).toThrow(
      'The payload of dead letter m-9 is not JSON, so --redact cannot mask fields in it; nothing was written.',
    );
  });

  it('refuses a path with an empty segment', () => {
    expect(() => redactPayloads([letter('m-1', { a: 1 })], ['a..b'])).toThrow(
      "--redact 'a..b' is not a dotted path of payload fields. Fix: name a field like 'email' or 'customer.address.street'.",
    );
  });
});
