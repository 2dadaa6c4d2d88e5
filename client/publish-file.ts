import type { Topology } from '../topology/index.ts';
import { InvalidInputFileError } from './errors.ts';
import { envelope, type PublishOptions } from './message.ts';
import type { Publisher } from './publisher.ts';
import type { Target } from './target.ts';
import { validatePayload } from './validate-payload.ts';

/** One NDJSON line: `{"eventType": "...", "payload": {...}, "groupId"?, "idempotencyKey"?, "correlationId"?, "attributes"?}`. */
export interface FileEvent {
  readonly line: number;
  readonly eventType: string;
  readonly payload: unknown;
  readonly options: PublishOptions;
}

export interface FileProblem {
  readonly line: number;
  readonly problem: string;
}

const OPTION_FIELDS = ['groupId', 'idempotencyKey', 'correlationId', 'deduplicationId', 'attributes'] as const;

function parseLine(text: string, line: number, destination: string, target: Target): FileEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON (${(error as Error).message})`);
  }
  const record = value as Record<string, unknown>;
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    typeof record.eventType !== 'string' ||
    !('payload' in record)
  ) {
    throw new Error('expected an object {"eventType": "<name>", "payload": {...}}');
  }
  const eventType = record.eventType;
  const dest = target.destinationOf(eventType, destination);
  const options: PublishOptions = {
    via: destination,
    ...Object.fromEntries(OPTION_FIELDS.filter((f) => record[f] !== undefined).map((f) => [f, record[f]])),
  };
  const payload = validatePayload(target.source, eventType, record.payload);
  envelope(target.source as Topology, eventType, payload, dest, options);
  return { line, eventType, payload: record.payload, options };
}

/** Parses and checks every line (schema, group id, attributes) without sending anything. */
export function parseEventFile(
  text: string,
  destination: string,
  target: Target,
): { events: FileEvent[]; problems: FileProblem[] } {
  target.destination(destination);
  const events: FileEvent[] = [];
  const problems: FileProblem[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    try {
      events.push(parseLine(raw, i + 1, destination, target));
    } catch (error) {
      problems.push({ line: i + 1, problem: (error as Error).message });
    }
  });
  return { events, problems };
}

export interface FilePublishResult {
  readonly sent: readonly number[];
  readonly failed: readonly FileProblem[];
}

/** Compresses line numbers into ranges: `1-40, 42, 44-50`. */
export function lineRanges(lines: readonly number[]): string {
  const sorted = [...lines].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ') || 'none';
}

/**
 * Publishes an NDJSON file to one topic or work queue. Every line is checked first: if any is invalid,
 * nothing is sent and `InvalidInputFileError` lists each bad line. Send failures are reported per line.
 */
export async function publishEventFile<T extends Topology>(
  publisher: Publisher<T>,
  destination: string,
  text: string,
  onProgress?: (done: number, total: number) => void,
): Promise<FilePublishResult> {
  const { events, problems } = parseEventFile(text, destination, publisher.target);
  if (problems.length > 0) {
    throw new InvalidInputFileError(
      `${problems.length} invalid line(s); nothing was sent:\n` +
        problems.map((p) => `  line ${p.line}: ${p.problem}`).join('\n'),
      problems,
    );
  }
  const sent: number[] = [];
  const failed: FileProblem[] = [];
  let done = 0;
  await Promise.all(
    events.map((e) =>
      publisher
        .publish(e.eventType as never, e.payload as never, e.options)
        .then(
          () => sent.push(e.line),
          (error: Error) => failed.push({ line: e.line, problem: error.message }),
        )
        .finally(() => onProgress?.(++done, events.length)),
    ),
  );
  return { sent: sent.sort((a, b) => a - b), failed: failed.sort((a, b) => a.line - b.line) };
}
