/**
 * What bin/ and testing/ share of the local cloud beyond its public API: the pieces of `fanout start`,
 * `fanout dlq reproduce` and `startTestCloud`. Not a package entry, so none of it is a promise to users.
 */
export { awsEnvironment, shellExports } from './aws-environment.ts';
export { defaultRegistryFile } from './registry-file.ts';
export { OutcomeCounter } from './demo/outcome-counter.ts';
export { synthesizeIfStale } from './app-synth.ts';
export { DYNAMODB_LOCAL_VERSION } from './dynamodb-local.ts';
export {
  type ReproducedLetter,
  ReproduceError,
  type ReproduceOptions,
  reproduceDeadLetters,
} from './dlq-reproduce.ts';
export { formatWatchEvent } from './watch/watch-events.ts';
