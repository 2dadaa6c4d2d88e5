import type { Topology } from '../topology/index.ts';
import { InvalidInputFileError } from './errors.ts';
import { fitMessage } from './fit-message.ts';
import { envelope, type PublishOptions } from './message.ts';
import { inputLines } from './ndjson-lines.ts';
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
  const env = envelope(target.source as Topology, eventType, payload, dest, options);
  // As a publish checks it; a publisher told not to claim-check reports an oversized line when sending.
  fitMessage(eventType, dest, env.body, env.attributes, {
    enabled: true,
    bucket: target.payloadBucket(),
    stackName: target.outputs.stackName,
  });
  return { line, eventType, payload: record.payload, options };
}

/**
 * An NDJSON input: its whole text, or a function opening its bytes (a file stream), called once per pass
 * (every line is checked before the first is sent, so the input is read twice and never held whole).
 */
export type EventFileSource = string | (() => AsyncIterable<Uint8Array | string>);

export interface EventFileOptions {
  /** Longest line accepted, in bytes; a longer one is reported, not read into memory. @default 67108864 (64 MiB) */
  readonly maxLineBytes?: number;
  /** Publishes awaiting their result at once; reading waits while this many are in flight. @default 1000 */
  readonly maxInFlight?: number;
  /** Called after each line settles, with the count of settled lines and of lines to send. */
  readonly onProgress?: (done: number, total: number) => void;
}

export const EVENT_FILE_DEFAULTS = { maxLineBytes: 64 * 1024 * 1024, maxInFlight: 1_000, problemsListed: 20 } as const;

type Checked = { readonly event: FileEvent } | { readonly problem: FileProblem };

/** Each non-blank line of the input, parsed and checked (schema, group id, attributes, size). */
async function* checkedLines(
  source: EventFileSource,
  destination: string,
  target: Target,
  maxLineBytes: number,
): AsyncGenerator<Checked> {
  const chunks = typeof source === 'string' ? [source] : source();
  for await (const { line, text, bytes } of inputLines(chunks, maxLineBytes)) {
    if (text === undefined) {
      const problem = `is ${bytes} bytes, over the ${maxLineBytes}-byte line limit. Fix: split the event or shrink its payload.`;
      yield { problem: { line, problem } };
      continue;
    }
    if (text.trim() === '') continue;
    try {
      yield { event: parseLine(text, line, destination, target) };
    } catch (error) {
      yield { problem: { line, problem: (error as Error).message } };
    }
  }
}

/** Checks every line without sending anything: the count of events, or `InvalidInputFileError` naming the bad lines. */
async function checkEventFile(
  source: EventFileSource,
  destination: string,
  target: Target,
  maxLineBytes: number,
): Promise<number> {
  let events = 0;
  let invalid = 0;
  const listed: FileProblem[] = [];
  for await (const checked of checkedLines(source, destination, target, maxLineBytes)) {
    if ('event' in checked) events++;
    else if (++invalid <= EVENT_FILE_DEFAULTS.problemsListed) listed.push(checked.problem);
  }
  if (invalid > 0) {
    const more = invalid - listed.length;
    throw new InvalidInputFileError(
      `${invalid} invalid line(s); nothing was sent:\n` +
        listed.map((p) => `  line ${p.line}: ${p.problem}`).join('\n') +
        (more > 0 ? `\n  ... and ${more} more` : ''),
      listed,
    );
  }
  return events;
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
 * Publishes an NDJSON input to one topic or work queue, line by line. Every line is checked first: if any
 * is invalid, nothing is sent and `InvalidInputFileError` lists the bad lines (the first 20). Send failures
 * are reported per line.
 */
export async function publishEventFile<T extends Topology>(
  publisher: Publisher<T>,
  destination: string,
  source: EventFileSource,
  options: EventFileOptions = {},
): Promise<FilePublishResult> {
  const target = publisher.target;
  target.destination(destination);
  const maxLineBytes = options.maxLineBytes ?? EVENT_FILE_DEFAULTS.maxLineBytes;
  const maxInFlight = options.maxInFlight ?? EVENT_FILE_DEFAULTS.maxInFlight;
  const total = await checkEventFile(source, destination, target, maxLineBytes);
  const sent: number[] = [];
  const failed: FileProblem[] = [];
  const inFlight = new Set<Promise<void>>();
  let done = 0;
  for await (const checked of checkedLines(source, destination, target, maxLineBytes)) {
    if ('problem' in checked) {
      // The input changed since it was checked.
      failed.push(checked.problem);
      continue;
    }
    const e = checked.event;
    const settled = publisher
      .publish(e.eventType as never, e.payload as never, e.options)
      .then(
        () => void sent.push(e.line),
        (error: Error) => void failed.push({ line: e.line, problem: error.message }),
      )
      .finally(() => {
        inFlight.delete(settled);
        options.onProgress?.(++done, total);
      });
    inFlight.add(settled);
    if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return { sent: sent.sort((a, b) => a - b), failed: failed.sort((a, b) => a.line - b.line) };
}
