import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InvocationScope } from '../definition.ts';
import { IdempotencyKeyReusedError } from '../errors.ts';
import { RUNTIME_DEFAULTS } from '../limits.ts';
import type { PartialOutcome } from '../outcome.ts';
import { keepResult } from '../reply.ts';
import type { AcquireRequest, AcquireResult, HolderIdentity, IdempotencyStore, KeptResult } from './store.ts';

export type OnceResult =
  | {
      readonly kind: 'processed';
      readonly value: unknown;
      /** What the record keeps of `value`. */
      readonly kept: KeptResult | undefined;
      readonly leaseLost: boolean;
      readonly completionError?: string;
    }
  /** `result`: the stored result, only when the copy came from the requester that stored it. */
  | { readonly kind: 'duplicate'; readonly result?: KeptResult; readonly sameRequester: boolean }
  | { readonly kind: 'in-progress'; readonly leaseExpiresAtMs: number };

/** Which message a key stands for: its payload, the producer's key, and (request/reply) who asked. */
export interface MessageIdentity {
  readonly key: string;
  readonly fingerprint: string;
  /** The producer's key attribute, as recorded (absent when the producer sent none). */
  readonly producerKey?: string;
  readonly requester?: string;
  /** When the message was published (epoch ms), recorded for the replay tools. */
  readonly publishedAtMs?: number;
}

/** A copy of a key earlier in the same batch, once it settled. */
export interface BatchCopy extends HolderIdentity {
  readonly effective: boolean;
  readonly result?: KeptResult;
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
): OnceResult & { readonly kind: 'duplicate' } {
  checkSamePayload(identity, holder);
  const sameRequester = holder.requester === identity.requester;
  return sameRequester && holder.result !== undefined
    ? { kind: 'duplicate', result: holder.result, sameRequester }
    : { kind: 'duplicate', sameRequester };
}

/** The outcome of a duplicate: the stored result for its own requester, nothing for another one. */
export function duplicateOutcome(found: OnceResult & { readonly kind: 'duplicate' }): PartialOutcome {
  return found.sameRequester
    ? { kind: 'duplicate', kept: found.result, reason: 'already completed' }
    : { kind: 'duplicate', answer: false, reason: 'already completed for another requester' };
}

/**
 * Runs `body` as the latest copy of `key` in this batch: a later copy of the key waits for this one
 * (the value passed to `took`, or not effective), and this one gets the earlier copy once it settled
 * (`wait` says how to wait for it: plainly, or parked in the batch's group commit).
 */
export async function asLatestCopy<R>(
  scope: InvocationScope,
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

/**
 * Runs `effect` at most once per key while its record counts: takes a fenced lock leased until the
 * invocation deadline, completes it with the result (fenced), releases it on failure (fenced) and
 * rethrows. A copy of the key earlier in the same batch is waited for instead of racing it. A key
 * held by another payload throws `IdempotencyKeyReusedError`.
 */
export async function runOnce(
  scope: InvocationScope,
  store: IdempotencyStore,
  identity: MessageIdentity,
  lastReceive: boolean,
  effect: () => Promise<unknown>,
): Promise<OnceResult> {
  const { key } = identity;
  return asLatestCopy(scope, key, async (before, took) => {
    if (before?.effective) {
      took(before);
      return duplicate(identity, before);
    }
    const token = randomUUID();
    const request: AcquireRequest = {
      key,
      token,
      leaseExpiresAtMs: scope.deadlineMs,
      expiresAtSeconds: Math.ceil(scope.deadlineMs / 1000) + scope.config.idempotencyTtlSeconds,
      nowMs: scope.now(),
      fingerprint: identity.fingerprint,
      ...(identity.requester === undefined ? {} : { requester: identity.requester }),
      ...(identity.producerKey === undefined ? {} : { producerKey: identity.producerKey }),
      ...(identity.publishedAtMs === undefined ? {} : { publishedAtMs: identity.publishedAtMs }),
    };
    const held = await acquireOrWait(scope, store, request, lastReceive);
    if (held.status === 'completed') {
      const found = duplicate(identity, held);
      took({ effective: true, ...held });
      return found;
    }
    if (held.status === 'in-progress') {
      checkSamePayload(identity, held);
      return { kind: 'in-progress', leaseExpiresAtMs: held.leaseExpiresAtMs };
    }

    let value: unknown;
    try {
      value = await effect();
    } catch (error) {
      // Best effort: if the release fails the lock simply expires at the lease end.
      await store.release({ key, token }).catch(() => undefined);
      throw error;
    }
    const result = await keepResult(scope, value);
    took({ effective: true, ...holderOf(identity), result });
    try {
      const completed = await store.complete({
        key,
        token,
        result,
        expiresAtSeconds: Math.ceil(scope.now() / 1000) + scope.config.idempotencyTtlSeconds,
      });
      return { kind: 'processed', value, kept: result, leaseLost: completed === 'lost' };
    } catch (error) {
      // The effect happened: acknowledge. The lock stays in progress until its lease ends.
      return { kind: 'processed', value, kept: result, leaseLost: false, completionError: String(error) };
    }
  });
}

/**
 * On the last receive before SQS would redrive the message, a deferral would dead-letter a good
 * message, so the holder is waited for in-process (polling with the same token) until its lease
 * resolves or this invocation's deadline margin is reached.
 */
async function acquireOrWait(
  scope: InvocationScope,
  store: IdempotencyStore,
  request: AcquireRequest,
  lastReceive: boolean,
): Promise<AcquireResult> {
  let held = await store.acquire(request);
  let pause: number = RUNTIME_DEFAULTS.leasePollInitialMs;
  while (held.status === 'in-progress' && lastReceive) {
    if (scope.now() + pause >= scope.deadlineMs - scope.marginMs) break;
    await sleep(pause);
    pause = Math.min(pause * 2, RUNTIME_DEFAULTS.leasePollMaxMs);
    held = await store.acquire({ ...request, nowMs: scope.now() });
  }
  return held;
}

/**
 * At-most-once: claims the key for good (a lock that never completes, leased until the record
 * expires), so that of all copies of a message — publisher retries that became two SNS messages
 * included — only the first claimant runs. False when an earlier copy claimed it.
 */
export async function claimOnce(
  scope: InvocationScope,
  store: IdempotencyStore,
  identity: MessageIdentity,
): Promise<boolean> {
  const expiresAtSeconds = Math.ceil(scope.now() / 1000) + scope.config.idempotencyTtlSeconds;
  const held = await store.acquire({
    key: identity.key,
    token: randomUUID(),
    leaseExpiresAtMs: expiresAtSeconds * 1000,
    expiresAtSeconds,
    nowMs: scope.now(),
    fingerprint: identity.fingerprint,
    ...(identity.producerKey === undefined ? {} : { producerKey: identity.producerKey }),
    ...(identity.publishedAtMs === undefined ? {} : { publishedAtMs: identity.publishedAtMs }),
  });
  if (held.status === 'acquired') return true;
  checkSamePayload(identity, held);
  return false;
}
