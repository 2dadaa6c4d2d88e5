import { IdempotencyKeyReusedError } from '../errors.ts';
import type { PartialOutcome } from '../outcome.ts';
import type { MessageIdentity } from './key.ts';
import type { HolderIdentity, KeptResult } from './store.ts';

/** A copy of a message whose key a completed record holds. `result`: only for the requester that stored it. */
export interface Duplicate {
  readonly kind: 'duplicate';
  readonly result?: KeptResult;
  readonly sameRequester: boolean;
}

/**
 * A copy agrees with its holder on everything the producer said: the payload and, when both carry
 * one, the producer's key. Anything else is another message under the same key: never a duplicate.
 */
export function checkSamePayload(identity: MessageIdentity, holder: HolderIdentity): void {
  const otherPayload = holder.fingerprint !== undefined && holder.fingerprint !== identity.fingerprint;
  const otherProducerKey =
    holder.producerKey !== undefined &&
    identity.producerKey !== undefined &&
    holder.producerKey !== identity.producerKey;
  if (otherProducerKey) {
    throw new IdempotencyKeyReusedError(
      `idempotency key '${identity.key}' already belongs to the message with producer key '${holder.producerKey}'; ` +
        `this one has producer key '${identity.producerKey}'${otherPayload ? ' and a different payload' : ' and the same payload'}, so it is another message, not a copy of it. ` +
        "Fix: key this event type by a field naming each event (the topology's idempotencyKeyByEvent, e.g. [{ field: 'refundId' }]) or by the producer's key, then replay this one",
    );
  }
  if (otherPayload) {
    throw new IdempotencyKeyReusedError(
      `idempotency key '${identity.key}' already belongs to a message with a different payload; this one is not a copy of it. ` +
        'Fix: give every distinct message its own key (keys are scoped by event type), then replay this one',
    );
  }
}

/** What a later copy in the same batch compares itself with. */
export function holderOf(identity: MessageIdentity): HolderIdentity {
  return {
    fingerprint: identity.fingerprint,
    ...(identity.requester === undefined ? {} : { requester: identity.requester }),
    ...(identity.producerKey === undefined ? {} : { producerKey: identity.producerKey }),
  };
}

export function duplicate(
  identity: MessageIdentity,
  holder: HolderIdentity & { readonly result?: KeptResult },
): Duplicate {
  checkSamePayload(identity, holder);
  const sameRequester = holder.requester === identity.requester;
  return sameRequester && holder.result !== undefined
    ? { kind: 'duplicate', result: holder.result, sameRequester }
    : { kind: 'duplicate', sameRequester };
}

/** The outcome of a duplicate: the stored result for its own requester, nothing for another one. */
export function duplicateOutcome(found: Duplicate): PartialOutcome {
  return found.sameRequester
    ? { kind: 'duplicate', kept: found.result, reason: 'already completed' }
    : { kind: 'duplicate', answer: false, reason: 'already completed for another requester' };
}
