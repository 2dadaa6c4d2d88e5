import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { defineConsumer } from './consumer.ts';
import type { ConsumerDefinition, Schemas } from './definition.ts';

export type MiddyConsumerHandler<S extends Schemas> = middy.MiddyfiedHandler<SQSEvent, SQSBatchResponse> & {
  readonly definition: ConsumerDefinition<S>;
};

/**
 * The consumer as a middy handler, for functions that compose middy middlewares (`.use(...)`).
 * A separate entry so that consumers without middlewares do not bundle middy.
 */
export function defineMiddyConsumer<S extends Schemas>(definition: ConsumerDefinition<S>): MiddyConsumerHandler<S> {
  const core = defineConsumer(definition);
  // The core guards the deadline itself, so middy's early-timeout race is off.
  const handler = middy<SQSEvent, SQSBatchResponse>({ timeoutEarlyInMillis: 0 }).handler((event, context) =>
    core(event, context),
  );
  return Object.assign(handler, { definition });
}
