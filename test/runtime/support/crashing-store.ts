import type { IdempotencyStore } from '../../../lambdas/runtime/index.ts';
import type { gate } from './gate.ts';

/**
 * A store whose completions wait for `completing` to open: the holder "died" after its effect and
 * before the completion reached the store (the window fencing alone cannot close).
 */
export function crashingAfterEffect(store: IdempotencyStore, completing: ReturnType<typeof gate>): IdempotencyStore {
  return {
    acquire: (r) => store.acquire(r),
    complete: async (r) => {
      await completing.pass();
      return store.complete(r);
    },
    release: (r) => store.release(r),
  };
}
