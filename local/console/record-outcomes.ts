/** One record outcome as the consumer runtime logs it (`{"message":"record outcome",…}`), for the console. */
export interface OutcomeEntry {
  /** Wall-clock ms when the line was seen. */
  readonly t: number;
  readonly consumer: string;
  readonly functionName: string;
  /** processed, duplicate, deferred, failed, dead-lettered, dropped, shed, not-started, skipped. */
  readonly outcome: string;
  readonly messageId?: string;
  readonly eventType?: string;
  readonly correlationId?: string;
  readonly receiveCount?: number;
  readonly durationMs?: number;
  readonly errorKind?: string;
  readonly reason?: string;
}

/** The entry a log line carries, or undefined for any other line (checked by substring first: most lines are not outcomes). */
export function parseOutcomeLine(functionName: string, line: string, t: number): OutcomeEntry | undefined {
  if (!line.includes('"record outcome"')) return undefined;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (entry.message !== 'record outcome' || typeof entry.consumer !== 'string' || typeof entry.outcome !== 'string')
    return undefined;
  const text = (key: string) => (typeof entry[key] === 'string' ? { [key]: entry[key] } : {});
  const num = (key: string) => (typeof entry[key] === 'number' ? { [key]: entry[key] } : {});
  return {
    t,
    consumer: entry.consumer,
    functionName,
    outcome: entry.outcome,
    ...text('messageId'),
    ...text('eventType'),
    ...text('correlationId'),
    ...num('receiveCount'),
    ...num('durationMs'),
    ...text('errorKind'),
    ...text('reason'),
  } as OutcomeEntry;
}
