import { defer } from '../defer.ts';
import { duplicateOutcome } from '../idempotency/holder.ts';
import type { MessageIdentity } from '../idempotency/key.ts';
import type { IdempotencyStore, KeptResult } from '../idempotency/store.ts';
import type { PartialOutcome } from '../outcome.ts';
import type { RecordWork } from '../protocol.ts';
import { claimOnce, runOnce } from './run-once.ts';

export interface LeaseWork extends RecordWork {
  readonly store: IdempotencyStore;
  readonly identity: MessageIdentity;
}

/** A repeated request to an at-most-once endpoint: the first copy ran, and no result was kept. */
const AT_MOST_ONCE_KEEPS_NONE: KeptResult = {
  notKept:
    'an earlier copy of this request took its key, and an at-most-once endpoint keeps no result to answer it again',
};

/**
 * A record of a consumer with effects outside DynamoDB (`effects: 'external'`): at-most-once claims
 * its key for good before the handler runs; the others run the handler under a fenced lease and
 * complete the record with its result, deferring a copy another invocation holds.
 */
export async function handleLeased(work: LeaseWork): Promise<PartialOutcome> {
  const { scope, store, record, payload, handler, ctx, identity } = work;
  const { config } = scope;
  const { key } = identity;
  if (config.delivery === 'at-most-once') {
    if (!(await claimOnce(scope, store, identity)))
      return { kind: 'duplicate', reason: 'an earlier copy claimed this key', kept: AT_MOST_ONCE_KEEPS_NONE };
    return { kind: 'processed', value: await handler(payload, { ...ctx, idempotencyKey: key }) };
  }
  const lastReceive = config.maxReceiveCount !== undefined && ctx.receiveCount >= config.maxReceiveCount;
  const once = await runOnce(scope, store, identity, lastReceive, () =>
    handler(payload, { ...ctx, idempotencyKey: key }),
  );
  switch (once.kind) {
    case 'processed':
      if (once.leaseLost) {
        return {
          kind: 'processed',
          value: once.value,
          kept: once.kept,
          leaseLost: true,
          reason: 'completion fenced out: the lock was taken over after this lease ended',
        };
      }
      if (once.completionError)
        return {
          kind: 'processed',
          value: once.value,
          kept: once.kept,
          reason: `completion not recorded: ${once.completionError}`,
        };
      return { kind: 'processed', value: once.value, kept: once.kept };
    case 'duplicate':
      return duplicateOutcome(once);
    case 'in-progress':
      return defer(scope, record, once.leaseExpiresAtMs);
  }
}
