import type { TopologyProblem } from './errors.ts';
import { LIMITS } from './limits.ts';
import { DEAD_LETTER_RESERVE_BYTES } from './sqs-limits.ts';
import { between, schemaFields } from './rule-helpers.ts';
import { consumerProblems } from './validate-consumer.ts';
import type { ConsumerSpec, Topology, TopicSpec, WorkQueueSpec } from './types.ts';

/**
 * Rules of the 2025–26 SQS / SNS / Lambda options: fair-queue tenants, FIFO high throughput, topic
 * message size, ESM provisioned pollers and event filters. Each problem names the element, the rule
 * with the value given, and the fix.
 */

/** Fields of the SQS record Lambda's event filters can match (top-level keys of a pattern). */
const SQS_RECORD_FILTER_FIELDS = [
  'messageId',
  'receiptHandle',
  'body',
  'attributes',
  'messageAttributes',
  'md5OfBody',
  'eventSource',
  'eventSourceARN',
  'awsRegion',
] as const;

/** `tenantBy` must be a field of the event's payload. */
export function checkTenants(topology: Topology, problems: TopologyProblem[]): void {
  for (const [event, spec] of Object.entries(topology.events)) {
    if (spec.tenantBy === undefined) continue;
    const fields = schemaFields(topology, event);
    if (!fields?.includes(spec.tenantBy)) {
      problems.push({
        element: `event type '${event}'`,
        rule: `tenantBy field '${spec.tenantBy}' is not a field of its schema (${fields ? `fields: ${fields.join(', ')}` : 'not an object schema'})`,
        fix: `name a payload field as tenantBy, or add '${spec.tenantBy}' to the schema`,
      });
    }
  }
}

export function checkTopicFeatures(topic: TopicSpec, element: string, problems: TopologyProblem[]): void {
  const size = topic.maxMessageSizeBytes;
  if (size === undefined) return;
  if (
    between(size, LIMITS.snsMessageBytesMin, LIMITS.snsMessageBytesMax) &&
    size > LIMITS.snsMessageBytesDefault &&
    topic.subscriptions.length > LIMITS.snsLargeMessageSubscriptionsMax
  ) {
    problems.push({
      element,
      rule: `a topic whose maxMessageSizeBytes is above ${LIMITS.snsMessageBytesDefault} may have at most ${LIMITS.snsLargeMessageSubscriptionsMax} subscriptions (given ${size} bytes and ${topic.subscriptions.length} subscriptions)`,
      fix: `lower maxMessageSizeBytes to ${LIMITS.snsMessageBytesDefault} or split the subscribers over several topics`,
    });
  }
  const queueMax = LIMITS.sqsMessageBytesMax - DEAD_LETTER_RESERVE_BYTES;
  if (
    between(size, queueMax + 1, LIMITS.snsMessageBytesMax) &&
    topic.subscriptions.some((s) => s.delivery !== 'at-most-once')
  ) {
    problems.push({
      element,
      rule: `a topic with a dead-lettering subscription may carry messages of at most ${queueMax} bytes (given ${size}): its queues keep ${DEAD_LETTER_RESERVE_BYTES} bytes free for the dead-letter reason`,
      fix: `lower maxMessageSizeBytes to ${queueMax} (larger payloads go through the claim-check)`,
    });
  }
}

export function checkWorkQueueFeatures(queue: WorkQueueSpec, element: string, problems: TopologyProblem[]): void {
  if (queue.highThroughput && !queue.fifo) {
    problems.push({
      element,
      rule: 'highThroughput only applies to FIFO queues',
      fix: 'set fifo: true or remove highThroughput',
    });
  }
}

export function checkConsumerFeatures(consumer: ConsumerSpec, element: string, problems: TopologyProblem[]): void {
  for (const problem of consumerProblems(consumer)) problems.push({ element, ...problem });
  checkFilters(consumer, element, problems);
}

function checkFilters(consumer: ConsumerSpec, element: string, problems: TopologyProblem[]): void {
  const filters = consumer.filters ?? [];
  filters.forEach((pattern, index) => {
    const where = `consumer.filters[${index}]`;
    if (
      typeof pattern !== 'object' ||
      pattern === null ||
      Array.isArray(pattern) ||
      Object.keys(pattern).length === 0
    ) {
      problems.push({
        element,
        rule: `${where} must be a non-empty object pattern (given ${JSON.stringify(pattern)})`,
        fix: "write a pattern such as { body: { kind: ['word-count'] } }",
      });
      return;
    }
    const unknown = Object.keys(pattern).filter(
      (key) => key !== '$or' && !(SQS_RECORD_FILTER_FIELDS as readonly string[]).includes(key),
    );
    if (unknown.length > 0) {
      problems.push({
        element,
        rule: `${where} filters on ${unknown.map((k) => `'${k}'`).join(', ')}, which an SQS record does not have (fields: ${SQS_RECORD_FILTER_FIELDS.join(', ')})`,
        fix: "match payload fields under body (e.g. { body: { accountId: ['a-1'] } }) and attributes under messageAttributes",
      });
    }
    const chars = JSON.stringify(pattern).length;
    if (chars > LIMITS.esmFilterPatternCharsMax) {
      problems.push({
        element,
        rule: `${where} is ${chars} characters of JSON, over Lambda's ${LIMITS.esmFilterPatternCharsMax}`,
        fix: 'shorten the pattern (prefix or numeric operators cover many values)',
      });
    }
  });
}
