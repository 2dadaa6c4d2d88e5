import type { RecordOutcome } from '../outcome.ts';

/** Where log lines and EMF documents go: one JSON document per call. Lambda ships stdout to CloudWatch. */
export type LogSink = (line: string) => void;

export const stdoutSink: LogSink = (line) => console.log(line);

const LEVEL: Record<RecordOutcome['kind'], 'INFO' | 'WARN' | 'ERROR'> = {
  processed: 'INFO',
  duplicate: 'INFO',
  deferred: 'INFO',
  'not-started': 'WARN',
  skipped: 'WARN',
  dropped: 'WARN',
  failed: 'ERROR',
  'dead-lettered': 'ERROR',
};

/** The one structured line written per record outcome. */
export function logOutcome(sink: LogSink, consumer: string, outcome: RecordOutcome): void {
  sink(
    JSON.stringify({
      level: outcome.leaseLost ? 'WARN' : LEVEL[outcome.kind],
      timestamp: new Date().toISOString(),
      message: 'record outcome',
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
