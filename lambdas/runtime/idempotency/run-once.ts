import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InvocationScope } from '../definition.ts';
import { RUNTIME_DEFAULTS } from '../limits.ts';
import type { AcquireRequest, AcquireResult, IdempotencyStore } from './store.ts';

export type OnceResult =
  | { readonly kind: 'processed'; readonly value: unknown; readonly leaseLost: boolean; readonly completionError?: string }
  | { readonly kind: 'duplicate'; readonly result?: string }
  | { readonly kind: 'in-progress'; readonly leaseExpiresAtMs: number };

/**
 * Runs `effect` at most once per key while its record counts: takes a fenced lock leased until the
 * invocation deadline, completes it with the result (fenced), releases it on failure (fenced) and
 * rethrows. A copy of the key earlier in the same batch is waited for instead of racing it.
 */
export async function runOnce(
  scope: InvocationScope,
  store: IdempotencyStore,
  key: string,
  lastReceive: boolean,
  effect: () => Promise<unknown>,
): Promise<OnceResult> {
  const earlier = scope.keysInBatch.get(key);
  let settle: (effective: boolean) => void = () => {};
  scope.keysInBatch.set(key, new Promise<boolean>((resolve) => (settle = resolve)));
  let effective = false;
  try {
    if (earlier && (await earlier)) {
      effective = true;
      return { kind: 'duplicate' };
    }
    const token = randomUUID();
    const request: AcquireRequest = {
      key,
      token,
      leaseExpiresAtMs: scope.deadlineMs,
      expiresAtSeconds: Math.ceil(scope.deadlineMs / 1000) + scope.config.idempotencyTtlSeconds,
      nowMs: scope.now(),
    };
    const held = await acquireOrWait(scope, store, request, lastReceive);
    if (held.status === 'completed') {
      effective = true;
      return held.result === undefined ? { kind: 'duplicate' } : { kind: 'duplicate', result: held.result };
    }
    if (held.status === 'in-progress') return { kind: 'in-progress', leaseExpiresAtMs: held.leaseExpiresAtMs };

    let value: unknown;
    try {
      value = await effect();
    } catch (error) {
      // Best effort: if the release fails the lock simply expires at the lease end.
      await store.release({ key, token }).catch(() => undefined);
      throw error;
    }
    effective = true;
    const result = value === undefined ? undefined : JSON.stringify(value);
    try {
      const completed = await store.complete({
        key,
        token,
        result: result !== undefined && result.length <= RUNTIME_DEFAULTS.storedResultMaxChars ? result : undefined,
        expiresAtSeconds: Math.ceil(scope.now() / 1000) + scope.config.idempotencyTtlSeconds,
      });
      return { kind: 'processed', value, leaseLost: completed === 'lost' };
    } catch (error) {
      // The effect happened: acknowledge. The lock stays in progress until its lease ends.
      return { kind: 'processed', value, leaseLost: false, completionError: String(error) };
    }
  } finally {
    settle(effective);
  }
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
