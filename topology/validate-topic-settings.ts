import type { TopologyProblem } from './errors.ts';
import { LIMITS } from './limits.ts';
import { between } from './rule-helpers.ts';
import type { TopicSpec } from './types.ts';

type Problem = Omit<TopologyProblem, 'element'>;

/** The topic settings these rules read; an undefined value is not checked (unset, or a CDK token). */
export type TopicSettings = Pick<
  TopicSpec,
  'fifo' | 'contentBasedDeduplication' | 'archiveRetentionDays' | 'highThroughput' | 'maxMessageSizeBytes'
>;

const fifoOnly = (option: string): Problem => ({
  rule: `${option} only applies to FIFO topics`,
  fix: `set fifo: true or remove ${option}`,
});

/**
 * SNS limits of one topic's settings: one table, run by the topology validator on each topic and by
 * the `FanoutTopic` construct on its props (which may be built without a topology).
 */
export const TOPIC_RULES: readonly ((t: TopicSettings) => Problem | undefined)[] = [
  (t) => (!t.fifo && t.contentBasedDeduplication ? fifoOnly('contentBasedDeduplication') : undefined),
  (t) => (!t.fifo && t.archiveRetentionDays !== undefined ? fifoOnly('archiveRetentionDays') : undefined),
  ({ archiveRetentionDays: days }) =>
    days !== undefined && !between(days, 1, LIMITS.archiveRetentionMaxDays)
      ? {
          rule: `archiveRetentionDays must be an integer from 1 to ${LIMITS.archiveRetentionMaxDays} (given ${days})`,
          fix: 'set archiveRetentionDays within that range',
        }
      : undefined,
  (t) =>
    t.highThroughput && !t.fifo
      ? {
          rule: 'highThroughput only applies to FIFO topics (standard topics have no per-group throughput)',
          fix: 'set fifo: true or remove highThroughput',
        }
      : undefined,
  ({ maxMessageSizeBytes: size }) =>
    size !== undefined && !between(size, LIMITS.snsMessageBytesMin, LIMITS.snsMessageBytesMax)
      ? {
          rule: `maxMessageSizeBytes must be an integer from ${LIMITS.snsMessageBytesMin} to ${LIMITS.snsMessageBytesMax} (given ${size})`,
          fix: 'set maxMessageSizeBytes within that range (larger payloads go through the claim-check)',
        }
      : undefined,
];

export function checkTopicSettings(topic: TopicSettings, element: string, problems: TopologyProblem[]): void {
  for (const rule of TOPIC_RULES) {
    const problem = rule(topic);
    if (problem) problems.push({ element, ...problem });
  }
}
