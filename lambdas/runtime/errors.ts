/** Base of every error the consumer runtime raises or understands. */
export class ConsumerRuntimeError extends Error {
  override readonly name: string = 'ConsumerRuntimeError';
}

/** Why a record failed, as written to logs and to the dead-letter reason attributes. */
export type FailureKind =
  | 'malformed-message'
  | 'unknown-event-type'
  | 'schema-validation'
  | 'permanent'
  | 'idempotency-key-reused'
  | 'retryable'
  | 'retries-exhausted';

/** An error that retrying cannot fix: the record goes straight to the DLQ. */
export class PermanentError extends ConsumerRuntimeError {
  override readonly name: string = 'PermanentError';
  readonly kind: FailureKind = 'permanent';
}

/** The body or attributes cannot be decoded (not JSON, not an envelope, attribute of the wrong type). */
export class MalformedMessageError extends PermanentError {
  override readonly name = 'MalformedMessageError';
  override readonly kind = 'malformed-message';
}

/** The `eventType` attribute names an event this consumer has no handler for. */
export class UnhandledEventTypeError extends PermanentError {
  override readonly name = 'UnhandledEventTypeError';
  override readonly kind = 'unknown-event-type';
}

/** The payload does not satisfy the event type's schema. */
export class SchemaValidationError extends PermanentError {
  override readonly name = 'SchemaValidationError';
  override readonly kind = 'schema-validation';
}

/**
 * The message's idempotency key already belongs to a message with a different payload: applying it
 * would be wrong (it is not a copy) and dropping it silently would lose it, so it is dead-lettered.
 */
export class IdempotencyKeyReusedError extends PermanentError {
  override readonly name = 'IdempotencyKeyReusedError';
  override readonly kind = 'idempotency-key-reused';
}

/** A staged write's own condition failed and the handler marked that as final. */
export class StagedConditionError extends PermanentError {
  override readonly name = 'StagedConditionError';
}

/** The handler used ctx.stage on a consumer that does not commit staged writes. */
export class StageUnavailableError extends PermanentError {
  override readonly name = 'StageUnavailableError';
}

/** A required environment variable is missing or invalid: the function is misconfigured. */
export class ConsumerConfigError extends ConsumerRuntimeError {
  override readonly name = 'ConsumerConfigError';
}

/** The idempotency store answered with something the runtime cannot interpret. */
export class IdempotencyStoreError extends ConsumerRuntimeError {
  override readonly name = 'IdempotencyStoreError';
}

export function failureKind(error: unknown): FailureKind {
  return error instanceof PermanentError ? error.kind : 'retryable';
}

/** Longest stack trace an outcome line carries. */
const STACK_MAX_CHARS = 4_000;

/**
 * The stack of an error the handler's code threw, for its outcome line; none for the runtime's own
 * errors (undecodable, schema, no handler, a commit that did not apply, a PermanentError), whose
 * message says everything.
 */
export function errorStack(error: unknown): string | undefined {
  if (!(error instanceof Error) || !error.stack || error instanceof ConsumerRuntimeError) return undefined;
  return error.stack.slice(0, STACK_MAX_CHARS);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
