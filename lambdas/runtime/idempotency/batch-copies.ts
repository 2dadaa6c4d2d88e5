import type { InvocationScope } from '../definition.ts';
import type { HolderIdentity, KeptResult } from './store.ts';

/** A copy of a key earlier in the same batch, once it settled. */
export interface BatchCopy extends HolderIdentity {
  readonly effective: boolean;
  readonly result?: KeptResult;
}

/**
 * Runs `body` as the latest copy of `key` in this batch: a later copy of the key waits for this one
 * (the value passed to `took`, or not effective), and this one gets the earlier copy once it settled
 * (`wait` says how to wait for it: plainly, or parked in the batch's group commit).
 */
export async function asLatestCopy<R>(
  scope: Pick<InvocationScope, 'keysInBatch'>,
  key: string,
  body: (before: BatchCopy | undefined, took: (copy: BatchCopy) => void) => Promise<R>,
  wait: (earlier: Promise<BatchCopy>) => Promise<BatchCopy> = (earlier) => earlier,
): Promise<R> {
  const earlier = scope.keysInBatch.get(key);
  let copy: BatchCopy = { effective: false };
  let settle: (copy: BatchCopy) => void = () => {};
  scope.keysInBatch.set(key, new Promise<BatchCopy>((resolve) => (settle = resolve)));
  try {
    const before = earlier ? await wait(earlier) : undefined;
    return await body(before, (took) => {
      copy = took;
    });
  } finally {
    settle(copy);
  }
}
