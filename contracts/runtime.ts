/**
 * What the consumer runtime (lambdas/) needs: its contracts and a few facts of the model, nothing of
 * validation or resolution. Its own entry, reaching the model's leaf files directly, so that a Lambda
 * bundle holds only these modules (topology/index.ts would pull the validator and resolver in).
 */
export type { DeliveryGuarantee, IdempotencyKeySource } from '../topology/types.ts';
export {
  DEFAULT_PARALLELISM,
  DEFAULT_PRODUCER_KEY_ATTRIBUTE,
  DEFAULTS,
  EVENT_TYPE_ATTRIBUTE,
} from '../topology/defaults.ts';
export { SQS_LIMITS } from '../topology/sqs-limits.ts';
export { batchesOf } from './batches.ts';
export {
  CONSUMER_ENV,
  CONSUMER_METRICS,
  CONSUMER_SOURCES,
  type ConsumerSource,
  DELIVERY_GUARANTEES,
  KEY_SOURCE_FORMS,
  parseKeySources,
  parseKeySourcesByEvent,
  tableEnvName,
} from './consumer-env.ts';
export { IDEMPOTENCY_RECORD, IDEMPOTENCY_STATUS } from './idempotency-record.ts';
export { idempotencyKeyPrefix, payloadFingerprint } from './message-identity.ts';
export { keySourcesOf } from '../topology/key-sources.ts';
export {
  CLAIM_CHECK,
  ClaimCheckError,
  type ClaimCheckPointer,
  type FetchObject,
  resolveClaimCheck,
} from './claim-check.ts';
export { sha256Hex } from './sha256.ts';
export {
  DEAD_LETTER_ATTRIBUTE,
  type DeadLetterReason,
  encodeDeadLetterReason,
  encodeDeadLetterReasonWithin,
  isDeadLetterAttribute,
  MESSAGE_ATTRIBUTES_MAX,
} from './dead-letter.ts';
export {
  buildReply,
  REQUEST_REPLY,
  type ReplyBody,
  type ReplyContent,
  replyMessageBytes,
  replyObjectKeyPrefix,
} from './request-reply.ts';
export {
  formatOutcomeLine,
  type LoggedOutcomeKind,
  type OutcomeLogLine,
  RECORD_OUTCOME_MESSAGE,
} from './outcome-log.ts';
