export { defineConsumer, type ConsumerHandler } from './consumer.ts';
export { createConsumer, type BatchHandler } from './core.ts';
export { readConsumerConfig, type ConsumerConfig } from './config.ts';
export type { ConsumerDefinition, ConsumerDependencies, EventHandler, RecordContext } from './definition.ts';
export {
  ConsumerConfigError,
  ConsumerRuntimeError,
  IdempotencyStoreError,
  MalformedMessageError,
  PermanentError,
  SchemaValidationError,
  UnhandledEventTypeError,
  type FailureKind,
} from './errors.ts';
export type { IdempotencyStore } from './idempotency/store.ts';
export { DynamoDbIdempotencyStore } from './idempotency/dynamodb-store.ts';
export { dynamo } from './clients.ts';
export { tableName } from './tables.ts';
