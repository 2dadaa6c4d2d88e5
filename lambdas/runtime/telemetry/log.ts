import {
  formatOutcomeLine,
  type LoggedOutcomeKind,
  type OutcomeLogLine,
  RECORD_OUTCOME_MESSAGE,
} from '../../../contracts/runtime.ts';
import type { RecordOutcome } from '../outcome.ts';

/** Where log lines and EMF documents go: one JSON document per call. Lambda ships stdout to CloudWatch. */
export type LogSink = (line: string) => void;

export const stdoutSink: LogSink = (line) => console.log(line);

const LEVEL: Record<LoggedOutcomeKind, OutcomeLogLine['level']> = {
  processed: 'INFO',
  duplicate: 'INFO',
  deferred: 'INFO',
  'not-started': 'WARN',
  skipped: 'WARN',
  dropped: 'WARN',
  shed: 'WARN',
  failed: 'ERROR',
  'dead-lettered': 'ERROR',
};

/** The one structured line written per record outcome (contracts/outcome-log.ts). */
export function logOutcome(sink: LogSink, consumer: string, outcome: RecordOutcome): void {
  sink(
    formatOutcomeLine({
      level: outcome.leaseLost ? 'WARN' : LEVEL[outcome.kind],
      timestamp: new Date().toISOString(),
      message: RECORD_OUTCOME_MESSAGE,
      consumer,
      messageId: outcome.messageId,
      eventType: outcome.eventType,
      outcome: outcome.kind,
      correlationId: outcome.correlationId,
      durationMs: outcome.durationMs,
      receiveCount: outcome.receiveCount,
      idempotencyKey: outcome.idempotencyKey,
      errorKind: outcome.errorKind,
      reason: outcome.reason,
      leaseLost: outcome.leaseLost,
      stack: outcome.stack,
    }),
  );
}

/** The outcome line of a backlog message an at-most-once consumer shed (it was never in a batch). */
export function logShed(sink: LogSink, consumer: string, messageId: string, reason: string): void {
  sink(
    formatOutcomeLine({
      level: LEVEL.shed,
      timestamp: new Date().toISOString(),
      message: RECORD_OUTCOME_MESSAGE,
      consumer,
      messageId,
      outcome: 'shed',
      reason,
    }),
  );
}

/** A free-form line from a handler (ctx.log) or the runtime, tagged with the record it concerns. */
export function logLine(
  sink: LogSink,
  level: 'INFO' | 'WARN' | 'ERROR',
  message: string,
  fields: Readonly<Record<string, unknown>>,
): void {
  sink(JSON.stringify({ level, timestamp: new Date().toISOString(), message, ...fields }));
}
