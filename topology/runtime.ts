/**
 * What the consumer runtime and handlers (lambdas/) need of the topology: contracts and event schemas,
 * nothing of validation or resolution. Its own entry so that a Lambda bundle holds only these modules
 * (index.ts would pull the validator, the resolver and the reference topology into every bundle).
 */
export type { DeliveryGuarantee, IdempotencyKeySource } from './types.ts';
export { DEFAULTS } from './defaults.ts';
export { SQS_LIMITS } from './sqs-limits.ts';
export {
  CONSUMER_ENV,
  CONSUMER_METRICS,
  CONSUMER_SOURCES,
  type ConsumerSource,
  DEFAULT_PARALLELISM,
  DELIVERY_GUARANTEES,
  EVENT_TYPE_ATTRIBUTE,
  KEY_SOURCE_FORMS,
  parseKeySources,
  parseKeySourcesByEvent,
  tableEnvName,
} from './consumer-env.ts';
export { IDEMPOTENCY_RECORD, IDEMPOTENCY_STATUS } from './idempotency-record.ts';
export { DEFAULT_PRODUCER_KEY_ATTRIBUTE, idempotencyKeyPrefix, payloadFingerprint } from './message-identity.ts';
export { keySourcesOf } from './key-sources.ts';
export {
  CLAIM_CHECK,
  ClaimCheckError,
  type ClaimCheckPointer,
  type FetchObject,
  resolveClaimCheck,
  sha256Hex,
} from './claim-check.ts';
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
