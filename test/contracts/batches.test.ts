import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchesOf } from '../../contracts/index.ts';
import { SQS_LIMITS } from '../../topology/sqs-limits.ts';

describe('batchesOf', () => {
  it('keeps every item once, in order, in full batches but the last', () => {
    fc.assert(
      fc.property(fc.array(fc.nat()), fc.integer({ min: 1, max: 30 }), (items, size) => {
        const batches = batchesOf(items, size);
        expect(batches.flat()).toEqual(items);
        expect(batches.slice(0, -1).every((b) => b.length === size)).toBe(true);
        expect(batches.every((b) => b.length >= 1 && b.length <= size)).toBe(true);
      }),
    );
  });

  it('cuts by what one SQS batch call takes unless told otherwise', () => {
    expect(batchesOf(Array.from({ length: 21 }, (_, i) => i)).map((b) => b.length)).toEqual([
      SQS_LIMITS.batchEntriesMax,
      SQS_LIMITS.batchEntriesMax,
      1,
    ]);
  });
});
