import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { readConsumerConfig } from './config.ts';
import { createConsumer, type BatchHandler } from './core.ts';
import type { ConsumerDefinition, Schemas } from './definition.ts';

export type ConsumerHandler<S extends Schemas> = middy.MiddyfiedHandler<SQSEvent, SQSBatchResponse> & {
  /** The definition, so tests and tools can build a consumer with another configuration. */
  readonly definition: ConsumerDefinition<S>;
};

/**
 * The Lambda handler of a consumer: a middy handler (compose more middlewares with `.use`) over the
 * runtime core. Configuration is read from the environment on the first invocation.
 */
export function defineConsumer<S extends Schemas>(definition: ConsumerDefinition<S>): ConsumerHandler<S> {
  let core: BatchHandler | undefined;
  // The core guards the deadline itself, so middy's early-timeout race is off.
  const handler = middy<SQSEvent, SQSBatchResponse>({ timeoutEarlyInMillis: 0 }).handler((event, context) => {
    core ??= createConsumer(definition, readConsumerConfig());
    return core(event, context);
  });
  return Object.assign(handler, { definition });
}
