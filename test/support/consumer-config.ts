import { DEFAULT_PARALLELISM, DEFAULT_PRODUCER_KEY_ATTRIBUTE, DEFAULTS } from '../../contracts/runtime.ts';
import { type ConsumerConfig, validateConsumerConfig } from '../../lambdas/runtime/config.ts';
import { RUNTIME_DEFAULTS } from '../../lambdas/runtime/limits.ts';

/** Seconds a completed idempotency record counts in configs built here. */
const TTL_SECONDS = 24 * 3600;

/**
 * A consumer's config built directly (tests and benchmarks), the rest filled with the topology's
 * defaults (topology/defaults.ts, consumer-env.ts), not ones of the runtime's own, and checked as
 * the stack's environment is.
 */
export function consumerConfig(
  partial: Partial<ConsumerConfig> & Pick<ConsumerConfig, 'name' | 'source'>,
): ConsumerConfig {
  return validateConsumerConfig({
    delivery: DEFAULTS.delivery,
    fifo: false,
    keySources: ['message-id'],
    producerKeyAttribute: DEFAULT_PRODUCER_KEY_ATTRIBUTE,
    idempotencyTtlSeconds: TTL_SECONDS,
    requestReply: false,
    parallelism: DEFAULT_PARALLELISM,
    deadlineMarginMs: RUNTIME_DEFAULTS.deadlineMarginMs,
    ...partial,
  });
}
