import { describeFunctionLog } from '../contracts/index.ts';
import type { StoredLogEvent } from '../local/index.ts';

/** One line a function wrote, as the console's logs view shows it. */
export interface LogEntry {
  /** Increasing: the page keeps each line once. */
  readonly seq: number;
  /** Wall-clock ms when the function wrote it. */
  readonly t: number;
  readonly functionName: string;
  readonly correlationId?: string;
  readonly level?: string;
  /** The message; a failure's reason and then its stack. */
  readonly text: string;
}

/** Lines a page gets on load (newest, across functions); the stream then adds every new one. */
export const LOG_ENTRIES_SENT = 2_000;

/** The console's entry for a stored line, or undefined for lines people do not read (metrics, Lambda's own). */
export function logEntry(event: StoredLogEvent): LogEntry | undefined {
  const line = describeFunctionLog(event.message);
  if (!line) return undefined;
  return { seq: event.sequence, t: event.timestamp, functionName: event.functionName, ...line };
}
