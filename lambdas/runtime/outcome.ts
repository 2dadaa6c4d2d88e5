import type { SQSRecord } from 'aws-lambda';
import type { LoggedOutcomeKind } from '../../contracts/runtime.ts';
import type { FailureKind } from './errors.ts';
import type { KeptResult } from './idempotency/store.ts';

/**
 * What happened to one record of a batch (the log line's kinds but `shed`, which is a backlog message
 * the batch never held). `retry` outcomes are reported in batchItemFailures (SQS redelivers them);
 * every other outcome is acknowledged (Lambda deletes the message).
 */
export type OutcomeKind = Exclude<LoggedOutcomeKind, 'shed'>;

const RETRIED: ReadonlySet<OutcomeKind> = new Set(['deferred', 'failed', 'not-started', 'skipped']);

export interface RecordOutcome {
  readonly kind: OutcomeKind;
  readonly messageId: string;
  readonly eventType?: string;
  readonly correlationId?: string;
  readonly idempotencyKey?: string;
  readonly receiveCount: number;
  readonly durationMs: number;
  readonly publishedAtMs?: number;
  readonly errorKind?: FailureKind;
  readonly reason?: string;
  /** Completion was fenced out: another attempt took the lock over after this one's lease ended. */
  readonly leaseLost?: boolean;
  /** The stack of the error the handler's code threw (failed, dead-lettered, dropped). */
  readonly stack?: string;
}

export function isRetried(kind: OutcomeKind): boolean {
  return RETRIED.has(kind);
}

/**
 * An outcome before the record's identity is added; `value` is the handler's result, for a reply, and
 * `kept` what the idempotency record keeps of it (for a duplicate: what the record kept);
 * `answer` false: a copy from another requester, which gets no stored result.
 */
export type PartialOutcome = Omit<RecordOutcome, 'messageId' | 'receiveCount' | 'durationMs'> & {
  kind: OutcomeKind;
  value?: unknown;
  kept?: KeptResult;
  answer?: false;
};

/** How often SQS has delivered the record (1 when the attribute is absent or unreadable). */
export function receiveCountOf(record: SQSRecord): number {
  const count = Number(record.attributes?.ApproximateReceiveCount);
  return Number.isInteger(count) && count > 0 ? count : 1;
}
