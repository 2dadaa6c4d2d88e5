import { type LoggedOutcomeKind, parseOutcomeLine } from '../contracts/index.ts';

/** One record outcome as the consumer runtime logs it (contracts/outcome-log.ts), for the console. */
export interface OutcomeEntry {
  /** Wall-clock ms when the line was seen. */
  readonly t: number;
  readonly consumer: string;
  readonly functionName: string;
  readonly outcome: LoggedOutcomeKind;
  readonly messageId?: string;
  readonly eventType?: string;
  readonly correlationId?: string;
  readonly receiveCount?: number;
  readonly durationMs?: number;
  readonly errorKind?: string;
  readonly reason?: string;
}

/** The console's entry for a function's log line, or undefined when the line is not a record outcome. */
export function outcomeEntry(functionName: string, line: string, t: number): OutcomeEntry | undefined {
  const logged = parseOutcomeLine(line);
  if (!logged) return undefined;
  const { consumer, outcome, messageId, eventType, correlationId, receiveCount, durationMs, errorKind, reason } =
    logged;
  const present = Object.entries({ messageId, eventType, correlationId, receiveCount, durationMs, errorKind, reason });
  return {
    t,
    consumer,
    functionName,
    outcome,
    ...Object.fromEntries(present.filter(([, value]) => value !== undefined)),
  };
}
