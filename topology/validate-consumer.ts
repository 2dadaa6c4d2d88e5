import type { TopologyProblem } from './errors.ts';
import { LIMITS } from './limits.ts';
import { between } from './rule-helpers.ts';
import type { ConsumerSpec } from './types.ts';

type Problem = Omit<TopologyProblem, 'element'>;

/** The consumer settings these rules read; an undefined value is not checked (unset, or a CDK token). */
export type ConsumerSettings = Pick<ConsumerSpec, 'timeoutSeconds' | 'memoryMb' | 'maxConcurrency' | 'pollers'> & {
  readonly filters?: readonly unknown[];
};

/**
 * Lambda and event-source limits of a consumer: one table, run by the topology validator on
 * `consumer` and by the `Consumer` construct on its props (which may be built without a topology).
 */
export const CONSUMER_RULES: readonly ((c: ConsumerSettings) => Problem | undefined)[] = [
  ({ timeoutSeconds: t }) =>
    t !== undefined && !between(t, 1, LIMITS.functionTimeoutMaxSeconds)
      ? {
          rule: `function timeout must be an integer from 1 to ${LIMITS.functionTimeoutMaxSeconds} s (given ${t})`,
          fix: 'set consumer.timeoutSeconds within that range',
        }
      : undefined,
  ({ memoryMb: m }) =>
    m !== undefined && !between(m, LIMITS.functionMemoryMinMb, LIMITS.functionMemoryMaxMb)
      ? {
          rule: `function memory must be an integer from ${LIMITS.functionMemoryMinMb} to ${LIMITS.functionMemoryMaxMb} MiB (given ${m})`,
          fix: 'set consumer.memoryMb within that range',
        }
      : undefined,
  ({ maxConcurrency: max }) =>
    max !== undefined && !between(max, LIMITS.maxConcurrencyMin, LIMITS.maxConcurrencyMax)
      ? {
          rule: `maxConcurrency must be an integer from ${LIMITS.maxConcurrencyMin} to ${LIMITS.maxConcurrencyMax} (given ${max})`,
          fix: 'set consumer.maxConcurrency within that range, or remove it for no cap',
        }
      : undefined,
  ({ pollers }) =>
    pollers && !between(pollers.min, LIMITS.provisionedPollersMin, LIMITS.minimumPollersMax)
      ? {
          rule: `pollers.min must be an integer from ${LIMITS.provisionedPollersMin} to ${LIMITS.minimumPollersMax} (given ${pollers.min})`,
          fix: 'set consumer.pollers.min within that range',
        }
      : undefined,
  ({ pollers }) => {
    if (!pollers) return undefined;
    if (!between(pollers.max, LIMITS.provisionedPollersMin, LIMITS.maximumPollersMax)) {
      return {
        rule: `pollers.max must be an integer from ${LIMITS.provisionedPollersMin} to ${LIMITS.maximumPollersMax} (given ${pollers.max})`,
        fix: 'set consumer.pollers.max within that range',
      };
    }
    return pollers.min > pollers.max
      ? {
          rule: `pollers.min must not exceed pollers.max (given min ${pollers.min}, max ${pollers.max})`,
          fix: 'raise pollers.max or lower pollers.min',
        }
      : undefined;
  },
  ({ pollers, maxConcurrency }) =>
    pollers && maxConcurrency !== undefined
      ? {
          rule: `provisioned pollers and maxConcurrency cannot be combined (given pollers ${pollers.min}–${pollers.max} and maxConcurrency ${maxConcurrency})`,
          fix: 'remove consumer.maxConcurrency (pollers.max bounds the concurrency) or remove consumer.pollers',
        }
      : undefined,
  ({ filters = [] }) =>
    filters.length > LIMITS.esmFiltersMax
      ? {
          rule: `an event source mapping takes at most ${LIMITS.esmFiltersMax} filters (given ${filters.length})`,
          fix: 'merge patterns with $or or filter the rest in the handler',
        }
      : undefined,
];

/** Every problem of a consumer's settings. */
export function consumerProblems(settings: ConsumerSettings): Problem[] {
  return CONSUMER_RULES.map((rule) => rule(settings)).filter((p): p is Problem => p !== undefined);
}
