export { defineConsumer, type ConsumerDefinition, type RecordContext } from './consumer.ts';
export { PermanentError } from './errors.ts';
export { tableName, dynamo } from './tables.ts';
