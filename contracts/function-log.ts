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

/**
 * One line a function wrote, as `fanout start` prints it: prefixed by the function and the
 * correlation id; failures with their reason and the stack of the error the handler threw. Metric
 * documents, Lambda's own START/END/REPORT lines (or `platform.*` records) and successful outcomes print nothing.
 */
export function formatFunctionLog(functionName: string, written: string): string | undefined {
  const line = unwrapLambdaEnvelope(written);
  const outcome = parseOutcomeLine(line);
  if (outcome) {
    if (!SHOWN_OUTCOMES.has(outcome.outcome)) return undefined;
    const head = `[${functionName}]${outcome.correlationId ? ` ${outcome.correlationId}` : ''} ${outcome.outcome} ${outcome.eventType ?? ''} ${outcome.messageId}: ${outcome.reason ?? ''}`;
    return outcome.stack ? `${head}\n${indent(outcome.stack)}` : head;
  }
  if (/^(START|END|REPORT) RequestId/.test(line)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return `[${functionName}] ${line}`;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return `[${functionName}] ${line}`;
  const fields = parsed as Record<string, unknown>;
  if ('_aws' in fields) return undefined;
  if (typeof fields.type === 'string' && fields.type.startsWith('platform.')) return undefined;
  const rest = Object.fromEntries(Object.entries(fields).filter(([k]) => !ENVELOPE.has(k)));
  const correlation = typeof fields.correlationId === 'string' ? ` ${fields.correlationId}` : '';
  const message = typeof fields.message === 'string' ? fields.message : JSON.stringify(fields.message ?? '');
  const level = fields.level && fields.level !== 'INFO' ? ` ${String(fields.level)}` : '';
  return `[${functionName}]${correlation}${level} ${message}${Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : ''}`;
}
