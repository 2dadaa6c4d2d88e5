import { describe, expect, it } from 'vitest';
import { publications } from './history.ts';
import type { PublishStep } from './program.ts';
import { checkPublishes } from './publish-oracle.ts';

const capture = (id: string, extra: Partial<PublishStep> = {}): PublishStep => ({
  kind: 'publish',
  event: 'PaymentCaptured',
  id,
  account: 'A',
  amount: 100,
  ...extra,
});
const [oversized, behind, other] = publications(
  [capture('p1', { oversized: true }), capture('p2'), { ...capture('p3'), account: 'B' }],
  't',
);
const CANNOT_FIT =
  "'PaymentCaptured' to SNS topic 'payments' cannot fit: its attributes alone are 300120 bytes (largest: 'note', 300000)";
const HELD =
  "message was not sent: an earlier message of FIFO group 't-A' failed, and sending this one would break the group's order";

describe("the checker's publisher oracle", () => {
  it('accepts a refused oversized publish and its FIFO group held behind it', () => {
    const rejected = [
      { pub: oversized!, error: CANNOT_FIT },
      { pub: behind!, error: HELD },
    ];
    expect(checkPublishes([oversized!, behind!, other!], rejected)).toEqual([]);
  });

  it('accepts a second oversized publish of the group refused as held behind the first', () => {
    const [first, second] = publications([capture('p1', { oversized: true }), capture('p1', { oversized: true })], 'u');
    const rejected = [
      { pub: first!, error: CANNOT_FIT },
      { pub: second!, error: HELD },
    ];
    expect(checkPublishes([first!, second!], rejected)).toEqual([]);
    expect(checkPublishes([first!, second!], [{ pub: second!, error: HELD }]).map((v) => v.detail)).toEqual([
      'publish #1 resolved although an attribute alone is over the limit',
      `publish #2 (over the limit) was refused for another reason: ${HELD}`,
    ]);
  });

  it('flags an oversized publish that resolved, one that never settled, and a refusal of an unrelated publish', () => {
    const rejected = [
      { pub: behind!, error: 'did not settle within 60 s' },
      { pub: other!, error: HELD },
    ];
    expect(checkPublishes([oversized!, behind!, other!], rejected).map((v) => v.detail)).toEqual([
      'publish #1 resolved although an attribute alone is over the limit',
      'publish #2 was refused: did not settle within 60 s',
      `publish #3 was refused: ${HELD}`,
    ]);
  });
});
