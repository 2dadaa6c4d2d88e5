import {
  CONSUMER_ENV,
  CONSUMER_SOURCES,
  DELIVERY_GUARANTEES,
  KEY_SOURCE_FORMS,
  parseKeySources,
  parseKeySourcesByEvent,
  type ConsumerSource,
  type DeliveryGuarantee,
  type IdempotencyKeySource,
} from '../../contracts/runtime.ts';
import { ConsumerConfigError } from './errors.ts';
import { RUNTIME_DEFAULTS } from './limits.ts';

/** Everything the runtime needs to know about the endpoint it drains. */
export interface ConsumerConfig {
  /** Endpoint (subscription or work queue) name; scopes idempotency keys, names metrics. */
  readonly name: string;
  readonly delivery: DeliveryGuarantee;
  /** What the queue's messages are: SNS envelopes, raw SNS deliveries or plain SQS messages. */
  readonly source: ConsumerSource;
  /** @default false */
  readonly fifo: boolean;
  /** Idempotency key sources in priority order. @default ['message-id'] */
  readonly keySources: readonly IdempotencyKeySource[];
  /** Sources of the event types keyed apart (`idempotencyKeyByEvent`); `{}` when none is. */
  readonly keySourcesByEvent: Readonly<Record<string, readonly IdempotencyKeySource[]>>;
  /**
   * Attribute carrying the producer's key: two messages under one business key whose producer keys
   * differ are two messages, never a copy and its original. @default 'idempotencyKey'
   */
  readonly producerKeyAttribute: string;
  /**
   * Idempotency table: exactly-once keeps a record per message; at-most-once claims each key once, so
   * no copy of a message (a publisher retry included) runs twice. Required for exactly-once.
   * @default - no idempotency records
   */
  readonly idempotencyTable?: string;
  /** Seconds a completed idempotency record counts (its TTL); read from the stack when there is an idempotency table. */
  readonly idempotencyTtlSeconds: number;
  /**
   * The endpoint's own queue: records are hidden (deferred), claimed (at-most-once) and shed on it, and
   * its origin and account are the only ones a reply may go to.
   */
  readonly queueUrl: string;
  /** Where permanent failures are sent. @default - none: permanent failures are retried */
  readonly deadLetterQueueUrl?: string;
  /** Receives before SQS redrives to the DLQ. @default - unlimited */
  readonly maxReceiveCount?: number;
  /** Request/reply endpoint: answers a request's `replyTo`. @default false - requests are not answered */
  readonly requestReply: boolean;
  /** Reply queues' name prefix; replies go only to those. @default - none: no reply is sent */
  readonly replyQueuePrefix?: string;
  /**
   * Payload bucket for results too large for a reply message or an idempotency record (claim-check).
   * @default - none: such a result is answered with an error
   */
  readonly payloadBucket?: string;
  /** At-most-once backlog above which the oldest messages are shed. @default - no shedding */
  readonly maxDepth?: number;
  /** Records of a batch processed at once (FIFO: groups at once). @default 50 (DEFAULT_PARALLELISM) */
  readonly parallelism: number;
  /** Stop starting records when less than this remains. @default 2000 */
  readonly deadlineMarginMs: number;
}

const REDEPLOY = 'Fix: redeploy the stack, which sets it from the topology (contracts/consumer-env.ts).';

function required(env: NodeJS.ProcessEnv, variable: string): string {
  const raw = env[variable];
  if (raw === undefined || raw === '') throw new ConsumerConfigError(`${variable} is not set. ${REDEPLOY}`);
  return raw;
}

function positiveInt(env: NodeJS.ProcessEnv, variable: string): number | undefined {
  const raw = env[variable];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new ConsumerConfigError(`${variable} is '${raw}': it must be a positive integer. ${REDEPLOY}`);
  }
  return value;
}

function requiredPositiveInt(env: NodeJS.ProcessEnv, variable: string): number {
  required(env, variable);
  return positiveInt(env, variable)!;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, variable: string, allowed: readonly T[]): T {
  const raw = required(env, variable);
  const found = allowed.find((value) => value === raw);
  if (found === undefined) {
    throw new ConsumerConfigError(
      `${variable} is '${raw}': expected ${allowed.map((a) => `'${a}'`).join(', ')}. ${REDEPLOY}`,
    );
  }
  return found;
}

function keySources(env: NodeJS.ProcessEnv): readonly IdempotencyKeySource[] {
  const raw = required(env, CONSUMER_ENV.idempotencyKey);
  const sources = parseKeySources(raw);
  if (!sources) {
    throw new ConsumerConfigError(
      `${CONSUMER_ENV.idempotencyKey} is '${raw}': expected comma-separated sources (${KEY_SOURCE_FORMS}). ${REDEPLOY}`,
    );
  }
  return sources;
}

function keySourcesByEvent(env: NodeJS.ProcessEnv): Readonly<Record<string, readonly IdempotencyKeySource[]>> {
  const raw = env[CONSUMER_ENV.idempotencyKeyByEvent];
  if (raw === undefined || raw === '') return {};
  const byEvent = parseKeySourcesByEvent(raw);
  if (!byEvent) {
    throw new ConsumerConfigError(
      `${CONSUMER_ENV.idempotencyKeyByEvent} is '${raw}': expected a JSON object of event type → comma-separated sources (${KEY_SOURCE_FORMS}). ${REDEPLOY}`,
    );
  }
  return byEvent;
}

/**
 * Reads the variables the stack sets on every consumer (contracts/consumer-env.ts). Every variable the
 * stack always sets is required: a missing or unknown value fails the cold start, never falls back.
 */
export function readConsumerConfig(env: NodeJS.ProcessEnv = process.env): ConsumerConfig {
  const name = env[CONSUMER_ENV.name];
  if (!name) {
    throw new ConsumerConfigError(
      `${CONSUMER_ENV.name} is not set: this function is not a Fanout consumer of the stack. ` +
        `Fix: deploy it through the topology, or set the variables of contracts/consumer-env.ts.`,
    );
  }
  const idempotencyTable = env[CONSUMER_ENV.idempotencyTable] || undefined;
  return validateConsumerConfig({
    name,
    delivery: oneOf(env, CONSUMER_ENV.delivery, DELIVERY_GUARANTEES),
    source: oneOf(env, CONSUMER_ENV.source, CONSUMER_SOURCES),
    fifo: oneOf(env, CONSUMER_ENV.fifo, ['true', 'false']) === 'true',
    keySources: keySources(env),
    keySourcesByEvent: keySourcesByEvent(env),
    producerKeyAttribute: required(env, CONSUMER_ENV.producerKeyAttribute),
    idempotencyTable,
    idempotencyTtlSeconds:
      idempotencyTable === undefined ? 0 : requiredPositiveInt(env, CONSUMER_ENV.idempotencyTtlHours) * 3600,
    queueUrl: required(env, CONSUMER_ENV.queueUrl),
    deadLetterQueueUrl: env[CONSUMER_ENV.deadLetterQueueUrl] || undefined,
    maxReceiveCount: positiveInt(env, CONSUMER_ENV.maxReceiveCount),
    maxDepth: positiveInt(env, CONSUMER_ENV.maxDepth),
    requestReply: env[CONSUMER_ENV.requestReply] === 'true',
    replyQueuePrefix: env[CONSUMER_ENV.replyQueuePrefix] || undefined,
    payloadBucket: env[CONSUMER_ENV.payloadBucket] || undefined,
    parallelism: requiredPositiveInt(env, CONSUMER_ENV.parallelism),
    deadlineMarginMs: RUNTIME_DEFAULTS.deadlineMarginMs,
  });
}

/** Checks what no single variable can: an exactly-once endpoint needs its idempotency table. */
export function validateConsumerConfig(config: ConsumerConfig): ConsumerConfig {
  if (config.delivery === 'exactly-once' && !config.idempotencyTable) {
    throw new ConsumerConfigError(
      `Consumer '${config.name}' is exactly-once but ${CONSUMER_ENV.idempotencyTable} is not set. ` +
        `Fix: redeploy the stack (it creates the idempotency table for exactly-once endpoints).`,
    );
  }
  return config;
}
