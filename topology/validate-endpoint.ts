import { declaredKeySourceLists, defaultKeySources } from './key-sources.ts';
import { LIMITS } from './limits.ts';
import { between } from './rule-helpers.ts';
import type { TopologyProblem } from './errors.ts';
import type { EndpointFacts } from './endpoint-facts.ts';
import type { IdempotencyKeySource, QueueEndpointSpec } from './types.ts';

type Problem = Omit<TopologyProblem, 'element'>;

/** What the endpoint rules need to know beyond the endpoint's own spec (resolved once in resolve.ts). */
export type EndpointContext = Pick<
  EndpointFacts,
  'fifo' | 'topicFifo' | 'snsEnvelope' | 'producerKeyAttribute' | 'events'
>;

/** Rules about one queue + consumer, each returning the problem it finds or nothing. */
export const ENDPOINT_RULES: readonly ((e: QueueEndpointSpec, ctx: EndpointContext) => Problem | undefined)[] = [
  (_e, ctx) =>
    ctx.topicFifo === false && ctx.fifo
      ? {
          rule: 'a standard topic cannot deliver to a FIFO queue (SNS only fans out to FIFO queues from FIFO topics)',
          fix: 'make the topic FIFO (fifo: true) or remove fifo: true from the subscription',
        }
      : undefined,
  (e, ctx) => {
    const size = e.consumer.batchSize;
    return ctx.fifo && size !== undefined && size > LIMITS.fifoBatchSizeMax
      ? {
          rule: `batch size must be at most ${LIMITS.fifoBatchSizeMax} for a FIFO queue (given ${size})`,
          fix: `set consumer.batchSize to ${LIMITS.fifoBatchSizeMax} or less`,
        }
      : undefined;
  },
  (e, ctx) => {
    const window = e.consumer.batchingWindowSeconds;
    return ctx.fifo && window !== undefined && window > 0
      ? {
          rule: `a FIFO queue's event source cannot have a batching window (given ${window} s)`,
          fix: 'remove consumer.batchingWindowSeconds',
        }
      : undefined;
  },
  (e, ctx) => {
    const size = e.consumer.batchSize;
    if (size === undefined || ctx.fifo) return undefined;
    if (!between(size, 1, LIMITS.standardBatchSizeMax)) {
      return {
        rule: `batch size must be an integer from 1 to ${LIMITS.standardBatchSizeMax} (given ${size})`,
        fix: 'set consumer.batchSize within that range',
      };
    }
    const window = e.consumer.batchingWindowSeconds ?? 0;
    return size > LIMITS.batchSizeWithoutWindowMax && window < LIMITS.minWindowForLargeBatchSeconds
      ? {
          rule: `batch size ${size} is over ${LIMITS.batchSizeWithoutWindowMax} and needs a batching window of at least ${LIMITS.minWindowForLargeBatchSeconds} s (given ${window} s)`,
          fix: `set consumer.batchingWindowSeconds to ${LIMITS.minWindowForLargeBatchSeconds} or more, or the batch size to ${LIMITS.batchSizeWithoutWindowMax} or less`,
        }
      : undefined;
  },
  (e) => {
    const window = e.consumer.batchingWindowSeconds;
    return window !== undefined && !between(window, 0, LIMITS.batchingWindowMaxSeconds)
      ? {
          rule: `batching window must be an integer from 0 to ${LIMITS.batchingWindowMaxSeconds} s (given ${window})`,
          fix: 'set consumer.batchingWindowSeconds within that range',
        }
      : undefined;
  },
  (e) =>
    e.delivery === 'at-most-once' && e.maxReceiveCount !== undefined
      ? {
          rule: `at-most-once delivery is never retried, so maxReceiveCount (given ${e.maxReceiveCount}) has no meaning`,
          fix: "remove maxReceiveCount, or use delivery: 'at-least-once' to retry",
        }
      : undefined,
  (e) =>
    e.maxReceiveCount !== undefined && !between(e.maxReceiveCount, LIMITS.maxReceiveCountMin, LIMITS.maxReceiveCountMax)
      ? {
          rule: `maxReceiveCount must be an integer from ${LIMITS.maxReceiveCountMin} to ${LIMITS.maxReceiveCountMax} (given ${e.maxReceiveCount})`,
          fix: 'set maxReceiveCount within that range',
        }
      : undefined,
  (e) =>
    e.maxDepth !== undefined && e.delivery !== 'at-most-once'
      ? {
          rule: `maxDepth sheds (drops) the oldest messages, which only at-most-once delivery allows (delivery is ${e.delivery ?? 'at-least-once'})`,
          fix: "use delivery: 'at-most-once' or remove maxDepth",
        }
      : undefined,
  (e) =>
    e.maxDepth !== undefined && !(Number.isInteger(e.maxDepth) && e.maxDepth >= 1)
      ? { rule: `maxDepth must be a positive integer (given ${e.maxDepth})`, fix: 'set maxDepth to 1 or more' }
      : undefined,
  (e, ctx) => {
    if (e.delivery !== 'exactly-once') return undefined;
    const sources = e.idempotencyKey ?? defaultKeySources(ctx.producerKeyAttribute, ctx.snsEnvelope, ctx.fifo);
    const onlyMessageId = (list: readonly IdempotencyKeySource[]) =>
      list.length > 0 && list.every((s) => s === 'message-id');
    const events = Object.entries(e.idempotencyKeyByEvent ?? {}).filter(([, list]) => onlyMessageId(list));
    if (sources.some((s) => s !== 'message-id') && events.length === 0) return undefined;
    return {
      rule: `exactly-once needs an idempotency key that survives redelivery, and the SQS messageId does not (a producer or SNS retry gets a new one)${events.length > 0 ? `; idempotencyKeyByEvent keys ${events.map(([event]) => `'${event}'`).join(', ')} by it alone` : ''}`,
      fix: "key on the business key (idempotencyKey: [{ field: '<payload field>' }]) or on the producer's key attribute (remove idempotencyKey to get the default)",
    };
  },
  (e, ctx) =>
    declaredKeySourceLists(e).some((list) => list.includes('sns-message-id')) && !ctx.snsEnvelope
      ? {
          rule: "idempotency key source 'sns-message-id' needs the SNS envelope, which work queues and raw delivery do not have",
          fix: "remove 'sns-message-id' or turn rawDelivery off",
        }
      : undefined,
  (e, ctx) =>
    declaredKeySourceLists(e).some((list) => list.includes('fifo-dedup-id')) && !ctx.fifo
      ? {
          rule: "idempotency key source 'fifo-dedup-id' only exists on FIFO queues",
          fix: "remove 'fifo-dedup-id' or make the queue FIFO",
        }
      : undefined,
  (e) => {
    const d = e.deliveryDelaySeconds;
    return d !== undefined && !between(d, 0, LIMITS.deliveryDelayMaxSeconds)
      ? {
          rule: `delivery delay must be an integer from 0 to ${LIMITS.deliveryDelayMaxSeconds} s (given ${d})`,
          fix: 'set deliveryDelaySeconds within that range',
        }
      : undefined;
  },
  (e) => {
    const r = e.kmsDataKeyReuseSeconds;
    return r !== undefined && !between(r, LIMITS.kmsDataKeyReuseMinSeconds, LIMITS.kmsDataKeyReuseMaxSeconds)
      ? {
          rule: `KMS data key reuse period must be an integer from ${LIMITS.kmsDataKeyReuseMinSeconds} to ${LIMITS.kmsDataKeyReuseMaxSeconds} s (given ${r})`,
          fix: `set kmsDataKeyReuseSeconds within that range, or remove it for SQS's default (${LIMITS.kmsDataKeyReuseDefaultSeconds} s)`,
        }
      : undefined;
  },
  (e) => {
    const p = e.consumer.parallelism;
    return p !== undefined && !(Number.isInteger(p) && p >= 1)
      ? { rule: `parallelism must be a positive integer (given ${p})`, fix: 'set consumer.parallelism to 1 or more' }
      : undefined;
  },
];
