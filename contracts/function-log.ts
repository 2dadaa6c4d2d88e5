import { parseOutcomeLine } from './outcome-log.ts';

/** Outcomes a terminal shows (the others are counted in the summary). */
const SHOWN_OUTCOMES: ReadonlySet<string> = new Set(['failed', 'dead-lettered', 'dropped', 'not-started']);
/** Fields every structured line carries, left out of the printed rest. */
const ENVELOPE = new Set(['level', 'timestamp', 'message', 'correlationId', 'consumer', 'messageId', 'requestId']);

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');

/**
 * A JSON line as the function wrote it: with Lambda's JSON log format, a line written through
 * `console.log` reaches CloudWatch Logs inside `{timestamp, level, requestId, message: <the line>}`.
 */
function unwrapLambdaEnvelope(line: string): string {
  if (!line.startsWith('{') || !line.includes('"requestId"')) return line;
  try {
    const fields = JSON.parse(line) as Record<string, unknown>;
    if (typeof fields.requestId === 'string' && typeof fields.message === 'string' && fields.message.startsWith('{'))
      return fields.message;
  } catch {
    // not JSON: printed as it is
  }
  return line;
}

/** What a function's line says, as people read it. */
export interface DescribedLogLine {
  readonly correlationId?: string;
  /** A structured line's level when it is not INFO. */
  readonly level?: string;
  /** The message (and its extra fields); a failure's reason followed by the stack, indented. */
  readonly text: string;
}

/**
 * What a function's line says, or undefined for lines people do not read: metric documents,
 * Lambda's own START/END/REPORT lines (or `platform.*` records) and successful outcomes.
 */
export function describeFunctionLog(written: string): DescribedLogLine | undefined {
  const line = unwrapLambdaEnvelope(written);
  const outcome = parseOutcomeLine(line);
  if (outcome) {
    if (!SHOWN_OUTCOMES.has(outcome.outcome)) return undefined;
    const head = `${outcome.outcome} ${outcome.eventType ?? ''} ${outcome.messageId}: ${outcome.reason ?? ''}`;
    return {
      ...(outcome.correlationId ? { correlationId: outcome.correlationId } : {}),
      text: outcome.stack ? `${head}\n${indent(outcome.stack)}` : head,
    };
  }
  if (/^(START|END|REPORT) RequestId/.test(line)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { text: line };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { text: line };
  const fields = parsed as Record<string, unknown>;
  if ('_aws' in fields) return undefined;
  if (typeof fields.type === 'string' && fields.type.startsWith('platform.')) return undefined;
  const rest = Object.fromEntries(Object.entries(fields).filter(([k]) => !ENVELOPE.has(k)));
  const message = typeof fields.message === 'string' ? fields.message : JSON.stringify(fields.message ?? '');
  return {
    ...(typeof fields.correlationId === 'string' ? { correlationId: fields.correlationId } : {}),
    ...(fields.level && fields.level !== 'INFO' ? { level: String(fields.level) } : {}),
    text: `${message}${Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : ''}`,
  };
}

/**
 * One line a function wrote, as `fanout start` prints it: prefixed by the function and the
 * correlation id; failures with their reason and the stack of the error the handler threw. Lines
 * people do not read (see `describeFunctionLog`) print nothing.
 */
export function formatFunctionLog(functionName: string, written: string): string | undefined {
  const line = describeFunctionLog(written);
  if (!line) return undefined;
  const correlation = line.correlationId ? ` ${line.correlationId}` : '';
  return `[${functionName}]${correlation}${line.level ? ` ${line.level}` : ''} ${line.text}`;
}
