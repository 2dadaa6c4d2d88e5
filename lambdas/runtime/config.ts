import {
  CONSUMER_ENV,
  DEFAULT_PARALLELISM,
  parseDelivery,
  parseKeySources,
  type ConsumerSource,
} from '../../topology/consumer-env.ts';
import type { DeliveryGuarantee, IdempotencyKeySource } from '../../topology/types.ts';
import { ConsumerConfigError } from './errors.ts';
import { RUNTIME_DEFAULTS } from './limits.ts';

/** Everything the runtime needs to know about the endpoint it drains. */
export interface ConsumerConfig {
  /** Endpoint (subscription or work queue) name; scopes idempotency keys, names metrics. */
  readonly name: string;
  /** @default 'at-least-once' */
  readonly delivery: DeliveryGuarantee;
  /** @default - auto-detect an SNS envelope per record */
  readonly source?: ConsumerSource;
  /** @default false */
  readonly fifo: boolean;
  /** Idempotency key sources in priority order. @default ['message-id'] */
  readonly keySources: readonly IdempotencyKeySource[];
  /**
   * Idempotency table: exactly-once keeps a record per message; at-most-once claims each key once, so
   * no copy of a message (a publisher retry included) runs twice. Required for exactly-once.
   * @default - no idempotency records
   */
  readonly idempotencyTable?: string;
  /** Seconds a completed idempotency record counts (its TTL). @default 24 hours */
  readonly idempotencyTtlSeconds: number;
  /** The endpoint's own queue (visibility changes, shedding). @default - neither is done */
  readonly queueUrl?: string;
  /** Where permanent failures are sent. @default - none: permanent failures are retried */
  readonly deadLetterQueueUrl?: string;
  /** Receives before SQS redrives to the DLQ. @default - unlimited */
  readonly maxReceiveCount?: number;
  /** Request/reply endpoint: answers a request's `replyTo`. @default false - requests are not answered */
  readonly requestReply: boolean;
  /** Reply queues' name prefix; replies go only to those. @default - none: no reply is sent */
  readonly replyQueuePrefix?: string;
  /** At-most-once backlog above which the oldest messages are shed. @default - no shedding */
  readonly maxDepth?: number;
  /** Records of a batch processed at once (FIFO: groups at once). @default 10 */
  readonly parallelism: number;
  /** Stop starting records when less than this remains. @default 2000 */
  readonly deadlineMarginMs: number;
}

const DEFAULT_TTL_HOURS = 24;

function positiveInt(env: NodeJS.ProcessEnv, variable: string): number | undefined {
  const raw = env[variable];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new ConsumerConfigError(
      `${variable} is '${raw}': it must be a positive integer. Fix: redeploy the stack, which sets it from the topology.`,
    );
  }
  return value;
}

function source(env: NodeJS.ProcessEnv): ConsumerSource | undefined {
  const raw = env[CONSUMER_ENV.source];
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'sns' || raw === 'sns-raw' || raw === 'sqs') return raw;
  throw new ConsumerConfigError(`${CONSUMER_ENV.source} is '${raw}': expected 'sns', 'sns-raw' or 'sqs'.`);
}

/** Reads the variables the stack sets on every consumer (topology/consumer-env.ts). */
export function readConsumerConfig(env: NodeJS.ProcessEnv = process.env): ConsumerConfig {
  const name = env[CONSUMER_ENV.name];
  if (!name) {
    throw new ConsumerConfigError(
      `${CONSUMER_ENV.name} is not set: this function is not a Fanout consumer of the stack. ` +
        `Fix: deploy it through the topology, or set the variables of topology/consumer-env.ts.`,
    );
  }
  const keys = parseKeySources(env[CONSUMER_ENV.idempotencyKey] ?? '');
  return validateConsumerConfig({
    name,
    delivery: parseDelivery(env[CONSUMER_ENV.delivery]),
    source: source(env),
    fifo: env[CONSUMER_ENV.fifo] === 'true',
    keySources: keys.length > 0 ? keys : ['message-id'],
    idempotencyTable: env[CONSUMER_ENV.idempotencyTable] || undefined,
    idempotencyTtlSeconds: (positiveInt(env, CONSUMER_ENV.idempotencyTtlHours) ?? DEFAULT_TTL_HOURS) * 3600,
    queueUrl: env[CONSUMER_ENV.queueUrl] || undefined,
    deadLetterQueueUrl: env[CONSUMER_ENV.deadLetterQueueUrl] || undefined,
    maxReceiveCount: positiveInt(env, CONSUMER_ENV.maxReceiveCount),
    maxDepth: positiveInt(env, CONSUMER_ENV.maxDepth),
    requestReply: env[CONSUMER_ENV.requestReply] === 'true',
    replyQueuePrefix: env[CONSUMER_ENV.replyQueuePrefix] || undefined,
    parallelism: positiveInt(env, CONSUMER_ENV.parallelism) ?? DEFAULT_PARALLELISM,
    deadlineMarginMs: RUNTIME_DEFAULTS.deadlineMarginMs,
  });
}

/** Fills defaults of a partial config (tests and benchmarks build configs directly). */
export function consumerConfig(partial: Partial<ConsumerConfig> & { readonly name: string }): ConsumerConfig {
  return validateConsumerConfig({
    delivery: 'at-least-once',
    fifo: false,
    keySources: ['message-id'],
    idempotencyTtlSeconds: DEFAULT_TTL_HOURS * 3600,
    requestReply: false,
    parallelism: DEFAULT_PARALLELISM,
    deadlineMarginMs: RUNTIME_DEFAULTS.deadlineMarginMs,
    ...partial,
  });
}

function validateConsumerConfig(config: ConsumerConfig): ConsumerConfig {
  if (config.delivery === 'exactly-once' && !config.idempotencyTable) {
    throw new ConsumerConfigError(
      `Consumer '${config.name}' is exactly-once but ${CONSUMER_ENV.idempotencyTable} is not set. ` +
        `Fix: redeploy the stack (it creates the idempotency table for exactly-once endpoints).`,
    );
  }
  return config;
}
