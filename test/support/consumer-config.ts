import { DEFAULT_PARALLELISM, DEFAULT_PRODUCER_KEY_ATTRIBUTE, DEFAULTS } from '../../contracts/runtime.ts';
import { type ConsumerConfig, validateConsumerConfig } from '../../lambdas/runtime/config.ts';
import { RUNTIME_DEFAULTS } from '../../lambdas/runtime/limits.ts';

/** Seconds a completed idempotency record counts in configs built here. */
const TTL_SECONDS = 24 * 3600;

/**
 * A queue's URL as the SQS emulator (fauxqs, on its default port) gives it, for a consumer whose test
 * never reaches SQS: no deferral, claim, shedding or reply. A test that reaches SQS uses a real queue.
 */
export function emulatorQueueUrl(name: string): string {
  return `http://127.0.0.1:4566/000000000000/${name}`;
}

/**
 * A consumer's config built directly (tests and benchmarks), the rest filled with the topology's
 * defaults (topology/defaults.ts, consumer-env.ts), not ones of the runtime's own, and checked as
 * the stack's environment is. What the stack sets from its own resources (the queue) is given.
 */
export function consumerConfig(
  partial: Partial<ConsumerConfig> & Pick<ConsumerConfig, 'name' | 'source' | 'queueUrl'>,
): ConsumerConfig {
  return validateConsumerConfig({
    delivery: DEFAULTS.delivery,
    fifo: false,
    keySources: ['message-id'],
    keySourcesByEvent: {},
    producerKeyAttribute: DEFAULT_PRODUCER_KEY_ATTRIBUTE,
    idempotencyTtlSeconds: TTL_SECONDS,
    requestReply: false,
    parallelism: DEFAULT_PARALLELISM,
    deadlineMarginMs: RUNTIME_DEFAULTS.deadlineMarginMs,
    ...partial,
  });
}
