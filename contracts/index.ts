/**
 * The contracts between folders: each defines what one side writes and the other reads (environment,
 * idempotency record, outcome line, dead-letter reason, claim-check pointer, outputs, manifest, local
 * registry, replay attributes). The consumer runtime has its own smaller entry (runtime.ts).
 */
export {
  CONSUMER_ENV,
  CONSUMER_METRICS,
  type ConsumerSource,
  formatKeySources,
  formatKeySourcesByEvent,
  tableEnvName,
} from './consumer-env.ts';
export { IDEMPOTENCY_RECORD, IDEMPOTENCY_STATUS } from './idempotency-record.ts';
export { fifoDeduplicationId, idempotencyKeyPrefix } from './message-identity.ts';
export {
  CLAIM_CHECK,
  type ClaimCheckPointer,
  claimCheckBody,
  type FetchObject,
  readClaimCheckPointer,
  resolveClaimCheck,
} from './claim-check.ts';
export { batchesOf } from './batches.ts';
export { sha256Hex } from './sha256.ts';
export {
  decodeDeadLetterReason,
  isDeadLetterAttribute,
  MESSAGE_ATTRIBUTES_MAX,
  PERMANENT_DEAD_LETTER_KINDS,
  PUBLISHED_ATTRIBUTES_MAX,
  type DeadLetterReason,
} from './dead-letter.ts';
export {
  DEAD_LETTER_FILE_FORMAT,
  type DeadLetterFile,
  DeadLetterFileError,
  type DeadLetterFileHeader,
  type DeadLetterRecord,
  type FileMessageAttribute,
  formatDeadLetterFile,
  joinSnsEnvelope,
  parseDeadLetterFile,
  splitSnsEnvelope,
} from './dead-letter-file.ts';
export { REQUEST_REPLY, type ReplyBody, replyObjectKeyPrefix } from './request-reply.ts';
export {
  ARCHIVE_POLICY_ATTRIBUTE,
  BEGINNING_ARCHIVE_TIME_ATTRIBUTE,
  REPLAY_POLICY_ATTRIBUTE,
  REPLAY_STATUS_ATTRIBUTE,
  REPLAY_STATUSES,
  REPLAYED_FIELD,
  type ReplayPolicy,
  type ReplayStatusValue,
  replayPolicy,
} from './replay.ts';
export { type LoggedOutcomeKind, OUTCOME_KINDS, type OutcomeLogLine, parseOutcomeLine } from './outcome-log.ts';
export { type DescribedLogLine, describeFunctionLog, formatFunctionLog } from './function-log.ts';
export { endpointStackIds, OUTPUT_KEYS, stackNameOfId } from './outputs.ts';
export { buildManifest, type FanoutManifest } from './manifest.ts';
export { LOCAL_REGISTRY, type LocalRegistry, type LocalStatusSnapshot } from './local-registry.ts';
export { VERBOSE_BUNDLING_ENV } from './synth-env.ts';
export {
  BUNDLE_HANDLER,
  bundleDirectory,
  bundleOptions,
  HANDLER_SOURCE_METADATA,
  type HandlerSource,
  readHandlerSource,
} from './bundle.ts';
