import { defer } from '../defer.ts';
import type { EventHandler, RecordContext } from '../definition.ts';
import { ConsumerRuntimeError, StagedConditionError } from '../errors.ts';
import { asLatestCopy } from '../idempotency/batch-copies.ts';
import { checkSamePayload, duplicate, duplicateOutcome, holderOf } from '../idempotency/holder.ts';
import { keepResult } from '../idempotency/keep-result.ts';
import type { PartialOutcome } from '../outcome.ts';
import type { RecordWork } from '../protocol.ts';
import type { GroupCommit } from './group-commit.ts';
import { StagedWrites } from './stage.ts';

/** Why a commit did not happen, as the retryable error the record fails with. */
class CommitFailedError extends ConsumerRuntimeError {
  override readonly name = 'CommitFailedError';
}

export interface StagedWork extends RecordWork {
  /** The batch's group commit the record's writes (and record) go into. */
  readonly commits: GroupCommit;
}

/**
 * A record of a consumer whose effects are all staged writes: the handler runs with `ctx.stage`, then
 * its writes and its idempotency record (none without an identity: at-least-once) go into the batch's
 * group commit. No lease: a concurrent or later copy runs its handler too, but its commit finds the
 * record and is acknowledged as a duplicate with nothing written.
 */
export async function handleStaged(work: StagedWork): Promise<PartialOutcome> {
  const { scope, commits, record, payload, handler, ctx, identity } = work;
  if (!identity) return commitWithout(commits, handler, payload, ctx);
  return asLatestCopy(
    scope,
    identity.key,
    async (before, took) => {
      if (before?.effective) {
        took(before);
        return duplicateOutcome(duplicate(identity, before));
      }
      const stage = new StagedWrites();
      const value = await handler(payload, { ...ctx, idempotencyKey: identity.key, stage });
      const result = await keepResult(scope, value);
      const committed = await commits.submit({
        record: {
          ...identity,
          result,
          expiresAtSeconds: Math.ceil(scope.now() / 1000) + scope.config.idempotencyTtlSeconds,
          nowMs: scope.now(),
        },
        writes: stage.writes,
      });
      switch (committed.kind) {
        case 'committed':
          took({ effective: true, ...holderOf(identity), result });
          return { kind: 'processed', value, kept: result };
        case 'held':
          if (committed.holder.status === 'completed') {
            const found = duplicate(identity, committed.holder);
            took({ effective: true, ...committed.holder });
            return duplicateOutcome(found);
          }
          checkSamePayload(identity, committed.holder);
          return defer(scope, record, committed.holder.leaseExpiresAtMs);
        case 'condition-failed':
          return conditionFailed(committed);
        case 'failed':
          throw new CommitFailedError(committed.reason);
      }
    },
    (earlier) => commits.park(earlier),
  );
}

function conditionFailed(failed: {
  readonly write: number;
  readonly onConditionFailure: 'retry' | 'permanent';
  readonly reason: string;
}): never {
  const text = `staged write #${failed.write + 1} was not applied: its condition failed (${failed.reason}); nothing of this message was written`;
  if (failed.onConditionFailure === 'permanent') throw new StagedConditionError(text);
  throw new CommitFailedError(text);
}

/** At-least-once: the writes commit atomically, without an idempotency record (a copy writes again). */
async function commitWithout(
  commits: GroupCommit,
  handler: EventHandler<unknown>,
  payload: unknown,
  ctx: RecordContext,
): Promise<PartialOutcome> {
  const stage = new StagedWrites();
  const value = await handler(payload, { ...ctx, stage });
  const committed = await commits.submit({ writes: stage.writes });
  if (committed.kind === 'condition-failed') conditionFailed(committed);
  if (committed.kind !== 'committed')
    throw new CommitFailedError(committed.kind === 'failed' ? committed.reason : 'not committed');
  return { kind: 'processed', value };
}
