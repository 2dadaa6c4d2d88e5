import type { ResolvedEndpoint } from '../topology/index.ts';
import {
  CONSUMER_ENV,
  formatKeySources,
  formatKeySourcesByEvent,
  tableEnvName,
  type ConsumerSource,
} from '../contracts/index.ts';
import { FanoutStackError } from './errors.ts';

/** Deployed names the environment refers to (tokens at synth time). */
export interface ConsumerEnvironmentRefs {
  readonly queueUrl: string;
  /** @default - no DLQ (at-most-once) */
  readonly deadLetterQueueUrl?: string;
  /** Physical idempotency table name; used by endpoints that keep idempotency records. */
  readonly idempotencyTableName: string;
  /** Name prefix of the stack's reply queues (request/reply endpoints answer only those). */
  readonly replyQueuePrefix: string;
  /** Payload bucket name: request/reply endpoints store replies too large for a message there. @default - none */
  readonly payloadBucketName?: string;
  /** Physical name of every business table, by topology name. */
  readonly tableNames: Readonly<Record<string, string>>;
}

export function consumerSource(endpoint: ResolvedEndpoint): ConsumerSource {
  if (endpoint.topic === undefined) return 'sqs';
  return endpoint.snsEnvelope ? 'sns' : 'sns-raw';
}

/** The environment variables of one consumer, exactly as contracts/consumer-env.ts defines them. */
export function consumerEnvironment(endpoint: ResolvedEndpoint, refs: ConsumerEnvironmentRefs): Record<string, string> {
  const env: Record<string, string> = {
    [CONSUMER_ENV.name]: endpoint.name,
    [CONSUMER_ENV.delivery]: endpoint.delivery,
    [CONSUMER_ENV.source]: consumerSource(endpoint),
    [CONSUMER_ENV.fifo]: String(endpoint.fifo),
    [CONSUMER_ENV.idempotencyKey]: formatKeySources(endpoint.idempotencyKey),
    [CONSUMER_ENV.producerKeyAttribute]: endpoint.producerKeyAttribute,
    [CONSUMER_ENV.queueUrl]: refs.queueUrl,
    [CONSUMER_ENV.parallelism]: String(endpoint.consumer.parallelism),
  };
  const byEvent = formatKeySourcesByEvent(endpoint.idempotencyKeyByEvent);
  if (byEvent !== undefined) env[CONSUMER_ENV.idempotencyKeyByEvent] = byEvent;
  if (endpoint.idempotencyRecords) {
    env[CONSUMER_ENV.idempotencyTable] = refs.idempotencyTableName;
    env[CONSUMER_ENV.idempotencyTtlHours] = String(endpoint.idempotencyTtlHours);
  }
  if (endpoint.requestReply) {
    env[CONSUMER_ENV.requestReply] = 'true';
    env[CONSUMER_ENV.replyQueuePrefix] = refs.replyQueuePrefix;
    if (refs.payloadBucketName !== undefined) env[CONSUMER_ENV.payloadBucket] = refs.payloadBucketName;
  }
  if (refs.deadLetterQueueUrl !== undefined) env[CONSUMER_ENV.deadLetterQueueUrl] = refs.deadLetterQueueUrl;
  if (endpoint.maxReceiveCount !== undefined) env[CONSUMER_ENV.maxReceiveCount] = String(endpoint.maxReceiveCount);
  if (endpoint.maxDepth !== undefined) env[CONSUMER_ENV.maxDepth] = String(endpoint.maxDepth);
  for (const table of endpoint.consumer.tables) {
    const name = refs.tableNames[table];
    if (name === undefined)
      throw new FanoutStackError(
        `consumer '${endpoint.name}' uses table '${table}', which the stack did not create; declare it in the topology's tables`,
      );
    env[tableEnvName(table)] = name;
  }
  return env;
}
