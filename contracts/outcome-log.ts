/**
 * The record-outcome log line: one JSON document per record, written by the consumer runtime
 * (lambdas/runtime/telemetry/log.ts) and counted by the local demo and console. One definition of
 * its message, its outcome kinds and its fields for both sides.
 */
export const RECORD_OUTCOME_MESSAGE = 'record outcome';

/**
 * What happened to a record. All but `shed` are outcomes of a record the consumer received; `shed`
 * is a message an at-most-once consumer dropped from its backlog (drop-oldest above maxDepth).
 */
export const OUTCOME_KINDS = [
  'processed',
  'duplicate',
  'deferred',
  'failed',
  'dead-lettered',
  'dropped',
  'not-started',
  'skipped',
  'shed',
] as const;

export type LoggedOutcomeKind = (typeof OUTCOME_KINDS)[number];

export interface OutcomeLogLine {
  readonly level: 'INFO' | 'WARN' | 'ERROR';
  readonly timestamp: string;
  readonly message: typeof RECORD_OUTCOME_MESSAGE;
  /** Endpoint (subscription or work queue) name. */
  readonly consumer: string;
  readonly messageId: string;
  readonly outcome: LoggedOutcomeKind;
  readonly eventType?: string;
  readonly correlationId?: string;
  readonly durationMs?: number;
  readonly receiveCount?: number;
  readonly idempotencyKey?: string;
  readonly errorKind?: string;
  readonly reason?: string;
  readonly leaseLost?: boolean;
  /** The stack of the error the handler's code threw, when it threw one. */
  readonly stack?: string;
}

const KINDS: ReadonlySet<string> = new Set(OUTCOME_KINDS);

/** The line as written (one JSON document). */
export const formatOutcomeLine = (line: OutcomeLogLine): string => JSON.stringify(line);

/** The outcome a log line carries, or undefined for any other line (checked by substring first: most lines are not outcomes). */
export function parseOutcomeLine(line: string): OutcomeLogLine | undefined {
  if (!line.includes(`"${RECORD_OUTCOME_MESSAGE}"`)) return undefined;
  let entry: Partial<Record<keyof OutcomeLogLine, unknown>>;
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    return undefined;
  }
  if (
    entry === null ||
    typeof entry !== 'object' ||
    entry.message !== RECORD_OUTCOME_MESSAGE ||
    typeof entry.consumer !== 'string' ||
    typeof entry.messageId !== 'string' ||
    typeof entry.outcome !== 'string' ||
    !KINDS.has(entry.outcome)
  )
    return undefined;
  return entry as OutcomeLogLine;
}
