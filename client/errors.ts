import { PERMANENT_DEAD_LETTER_KINDS } from '../contracts/index.ts';
import type { Topology } from '../topology/index.ts';

/** Base of every error the client and CLI raise on purpose: the message says what, where and the fix. */
export class FanoutClientError extends Error {
  override readonly name: string = 'FanoutClientError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class UnknownEventTypeError extends FanoutClientError {
  override readonly name = 'UnknownEventTypeError';

  /** An event type the topology does not declare, naming the ones it does. */
  static undeclared(eventType: string, topology: Topology): UnknownEventTypeError {
    return new UnknownEventTypeError(
      `Unknown event type '${eventType}': topology '${topology.name}' declares ` +
        `${Object.keys(topology.events).join(', ')}. Fix: use one of them or add it to the topology's events.`,
    );
  }
}

/** A payload failed its event type's schema. */
export class PayloadValidationError extends FanoutClientError {
  override readonly name = 'PayloadValidationError';

  constructor(
    message: string,
    readonly issues: readonly { readonly path: string; readonly rule: string; readonly message: string }[],
  ) {
    super(message);
  }
}

export class MissingGroupIdError extends FanoutClientError {
  override readonly name = 'MissingGroupIdError';
}

export class PayloadTooLargeError extends FanoutClientError {
  override readonly name = 'PayloadTooLargeError';
}

export class InvalidAttributeError extends FanoutClientError {
  override readonly name = 'InvalidAttributeError';
}

/** A work queue is deeper than the publisher's `maxQueueDepth`. */
export class BackpressureError extends FanoutClientError {
  override readonly name = 'BackpressureError';

  constructor(
    message: string,
    readonly depth: number,
    readonly maxQueueDepth: number,
  ) {
    super(message);
  }
}

/** The stack's outputs (or one of them) could not be found. */
export class StackOutputsError extends FanoutClientError {
  override readonly name = 'StackOutputsError';
}

/** SNS/SQS refused a message, or retries ran out. */
export class PublishFailedError extends FanoutClientError {
  override readonly name = 'PublishFailedError';

  constructor(
    message: string,
    readonly code: string | undefined,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class RequestTimeoutError extends FanoutClientError {
  override readonly name = 'RequestTimeoutError';
}

/** `request()` to a topic or work queue whose consumer answers no requests. */
export class RequestReplyNotConfiguredError extends FanoutClientError {
  override readonly name = 'RequestReplyNotConfiguredError';
}

/** The consumer answered a request with `{ ok: false }`. */
export class RemoteError extends FanoutClientError {
  override readonly name = 'RemoteError';
}

export class UnknownSubscriberError extends FanoutClientError {
  override readonly name = 'UnknownSubscriberError';
}

/** Lines of an NDJSON file that cannot be published; nothing was sent. */
export class InvalidInputFileError extends FanoutClientError {
  override readonly name = 'InvalidInputFileError';

  constructor(
    message: string,
    readonly problems: readonly { readonly line: number; readonly problem: string }[],
  ) {
    super(message);
  }
}

/** An NDJSON events file that cannot be opened. */
export class EventFileUnreadableError extends FanoutClientError {
  override readonly name = 'EventFileUnreadableError';
}

export class PublisherClosedError extends FanoutClientError {
  override readonly name = 'PublisherClosedError';
}

export class InvalidFilterError extends FanoutClientError {
  override readonly name = 'InvalidFilterError';
}

/** The app's `fanout.config.ts` is missing, cannot be loaded or exports no topology. */
export class AppConfigError extends FanoutClientError {
  override readonly name = 'AppConfigError';
}

/** `fanout init` was pointed at a directory that already holds files. */
export class InitTargetError extends FanoutClientError {
  override readonly name = 'InitTargetError';
}

/** A DLQ replay would resend messages whose dead-letter reason a replay cannot fix. */
export class PermanentFailuresError extends FanoutClientError {
  override readonly name = 'PermanentFailuresError';
  constructor(
    readonly subscriber: string,
    /** Messages per permanent reason kind. */
    readonly counts: Readonly<Record<string, number>>,
  ) {
    super(
      `${Object.values(counts).reduce((a, b) => a + b, 0)} message(s) in the DLQ of '${subscriber}' failed for a reason a replay cannot fix, so they would land in the DLQ again: ${describePermanent(counts)}. Fix: leave them out with --filter, fix the cause first, or replay anyway with --force (or purge them: fanout dlq purge ${subscriber}).`,
    );
  }
}

export function describePermanent(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .map(([kind, n]) => `${kind} ×${n} (${PERMANENT_DEAD_LETTER_KINDS[kind] ?? 'permanent'})`)
    .join('; ');
}

/** The DLQ a DLQ tool was asked for does not exist for that endpoint (at-most-once, or no subscription). */
export class NoDeadLetterQueueError extends FanoutClientError {
  override readonly name = 'NoDeadLetterQueueError';
}

/** `fanout logs` cannot read a function's log group (the target serves no logs). */
export class LogsUnavailableError extends FanoutClientError {
  override readonly name = 'LogsUnavailableError';
}
