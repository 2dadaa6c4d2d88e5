import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InvocationScope } from '../definition.ts';
import { asLatestCopy } from '../idempotency/batch-copies.ts';
import { checkSamePayload, type Duplicate, duplicate, holderOf } from '../idempotency/holder.ts';
import { keepResult } from '../idempotency/keep-result.ts';
import type { MessageIdentity } from '../idempotency/key.ts';
import type { AcquireRequest, AcquireResult, IdempotencyStore, KeptResult } from '../idempotency/store.ts';
import { RUNTIME_DEFAULTS } from '../limits.ts';

export type OnceResult =
  | {
      readonly kind: 'processed';
      readonly value: unknown;
      /** What the record keeps of `value`. */
      readonly kept: KeptResult | undefined;
      readonly leaseLost: boolean;
      readonly completionError?: string;
    }
  | Duplicate
  | { readonly kind: 'in-progress'; readonly leaseExpiresAtMs: number };

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
