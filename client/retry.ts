import { setTimeout as delay } from 'node:timers/promises';
import { PUBLISHER_DEFAULTS } from './limits.ts';

/** Error names AWS uses for throttling across SNS, SQS, KMS and S3. */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'KMSThrottlingException',
  'RequestLimitExceeded',
  'SlowDown',
]);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'TimeoutError']);

/** Whether a failed API call (as a whole) is worth retrying: throttling, server errors, network. */
export function isRetryableCallError(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e.$retryable) return true;
  if (e.name && (THROTTLING.has(e.name) || NETWORK.has(e.name))) return true;
  if (e.code && NETWORK.has(e.code)) return true;
  return (e.$metadata?.httpStatusCode ?? 0) >= 500;
}

/** Milliseconds to wait before attempt `attempt + 1`: exponential with full jitter. */
export function backoffMs(
  attempt: number,
  baseMs: number = PUBLISHER_DEFAULTS.backoffBaseMs,
  maxMs: number = PUBLISHER_DEFAULTS.backoffMaxMs,
): number {
  return Math.random() * Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** Waits `ms`; an abort of `signal` ends the wait early (resolving, not rejecting). */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch((error: unknown) => {
    if (!signal?.aborted) throw error;
  });
