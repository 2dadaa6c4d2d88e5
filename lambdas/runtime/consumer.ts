import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { readConsumerConfig } from './config.ts';
import { createConsumer, type BatchHandler } from './core.ts';
import type { ConsumerDefinition, Schemas } from './definition.ts';

export type ConsumerHandler<S extends Schemas> = ((event: SQSEvent, context: Context) => Promise<SQSBatchResponse>) & {
  /** The definition, so tests and tools can build a consumer with another configuration. */
  readonly definition: ConsumerDefinition<S>;
};

/**
 * The Lambda handler of a consumer: the runtime core, configured from the environment on the first
 * invocation. To compose middy middlewares around it, use `defineMiddyConsumer` (runtime/middy.ts):
 * same core, plus middy's ~3 KB in the bundle.
 */
export function defineConsumer<S extends Schemas>(definition: ConsumerDefinition<S>): ConsumerHandler<S> {
  let core: BatchHandler | undefined;
  const handler = (event: SQSEvent, context: Context) => {
    core ??= createConsumer(definition, readConsumerConfig());
    return core(event, context);
  };
  return Object.assign(handler, { definition });
}
