import type { ClaimCheckPointer } from './claim-check.ts';
import type { DeadLetterReason } from './dead-letter.ts';

/**
 * The dead-letter file: what `fanout dlq pull` writes (client/) and `fanout dlq reproduce` reads
 * (bin/ on local/). NDJSON: a header line, then one line per dead letter with its whole envelope.
 * The payload is kept apart from the body that carried it (SNS envelope, claim-check pointer), so
 * redaction touches one place and the reproducing side rebuilds the body around it.
 */
export const DEAD_LETTER_FILE_FORMAT = 'fanout-dead-letter/v1';
const FORMAT_PREFIX = 'fanout-dead-letter/';

export interface DeadLetterFileHeader {
  readonly format: typeof DEAD_LETTER_FILE_FORMAT;
  /** Stack the letters were pulled from (`<app>-<stage>`). */
  readonly stack: string;
  /** Subscriber or work queue whose DLQ was read. */
  readonly consumer: string;
  /** `queue` (the queue's DLQ) or `subscription` (the SNS subscription's DLQ). */
  readonly source: 'queue' | 'subscription';
  readonly fifo: boolean;
  /** URL of the DLQ read. */
  readonly deadLetterQueueUrl: string;
  /** ISO time of the pull. */
  readonly pulledAt: string;
  /** Records that follow the header. */
  readonly count: number;
  /** Payload paths (dotted) masked (`--redact`) before the file was written. */
  readonly redacted: readonly string[];
}

/** A message attribute in SendMessage terms; a Binary value is base64. */
export interface FileMessageAttribute {
  readonly dataType: string;
  readonly stringValue?: string;
  readonly binaryValue?: string;
}

export interface DeadLetterRecord {
  /** The message id in the DLQ. */
  readonly messageId: string;
  /** SQS system attributes as received: ApproximateReceiveCount, SentTimestamp, MessageGroupId, MessageDeduplicationId, DeadLetterQueueSourceArn, … */
  readonly systemAttributes: Readonly<Record<string, string>>;
  /** SQS message attributes, the dead-letter reason attribute included. */
  readonly messageAttributes: Readonly<Record<string, FileMessageAttribute>>;
  /** The SNS envelope without its `Message`, when the message was delivered through SNS with one. */
  readonly snsEnvelope?: Readonly<Record<string, unknown>>;
  readonly eventType?: string;
  /** The reason the consumer runtime attached, decoded (also in `messageAttributes`). */
  readonly reason?: DeadLetterReason;
  /** The pointer the message carried in place of its payload; `payload` is the object it named. */
  readonly claimCheck?: ClaimCheckPointer;
  /** The whole payload text (the SNS `Message` or the body; the stored object when claim-checked), redacted. */
  readonly payload: string;
}

export interface DeadLetterFile {
  readonly header: DeadLetterFileHeader;
  readonly records: readonly DeadLetterRecord[];
}

/** The file cannot be read as a dead-letter file; the message names the file, the rule and the fix. */
export class DeadLetterFileError extends Error {
  override readonly name = 'DeadLetterFileError';
}

export function formatDeadLetterFile(file: DeadLetterFile): string {
  return `${[file.header, ...file.records].map((line) => JSON.stringify(line)).join('\n')}\n`;
}

/** A received body split into the SNS envelope (when it is one) and the message it carries. */
export function splitSnsEnvelope(body: string): { envelope?: Record<string, unknown>; message: string } {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    if (parsed && parsed.Type === 'Notification' && typeof parsed.Message === 'string') {
      const { Message, ...envelope } = parsed;
      return { envelope, message: Message };
    }
  } catch {
    // not JSON: a raw body
  }
  return { message: body };
}

/** The body `splitSnsEnvelope` split, put together again around `message`. */
export const joinSnsEnvelope = (envelope: Readonly<Record<string, unknown>> | undefined, message: string): string =>
  envelope ? JSON.stringify({ ...envelope, Message: message }) : message;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseLine(file: string, n: number, line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    throw new DeadLetterFileError(
      `${file} line ${n} is not JSON (${(error as Error).message}). Fix: pass the file \`fanout dlq pull\` wrote, unedited.`,
    );
  }
}

function checkHeader(file: string, header: unknown): asserts header is DeadLetterFileHeader {
  const format = isObject(header) ? header.format : undefined;
  if (typeof format !== 'string' || !format.startsWith(FORMAT_PREFIX)) {
    throw new DeadLetterFileError(
      `${file} is not a dead-letter file: its first line must be a header with "format": "${DEAD_LETTER_FILE_FORMAT}". Fix: pass a file written by \`fanout dlq pull\`.`,
    );
  }
  if (format !== DEAD_LETTER_FILE_FORMAT) {
    throw new DeadLetterFileError(
      `${file} has format '${format}'; this fanout reads '${DEAD_LETTER_FILE_FORMAT}'. Fix: pull the letters again with this fanout, or reproduce them with the fanout version that pulled them.`,
    );
  }
  const h = header as Record<string, unknown>;
  if (typeof h.consumer !== 'string' || typeof h.stack !== 'string' || typeof h.count !== 'number') {
    throw new DeadLetterFileError(
      `${file} header lacks "stack", "consumer" or "count". Fix: pull the letters again with \`fanout dlq pull\`.`,
    );
  }
}

function checkRecord(file: string, n: number, record: unknown): asserts record is DeadLetterRecord {
  if (
    !isObject(record) ||
    typeof record.messageId !== 'string' ||
    typeof record.payload !== 'string' ||
    !isObject(record.messageAttributes) ||
    !isObject(record.systemAttributes)
  ) {
    throw new DeadLetterFileError(
      `${file} line ${n} is not a dead letter: it needs "messageId", "payload", "messageAttributes" and "systemAttributes". Fix: pass the file \`fanout dlq pull\` wrote, unedited.`,
    );
  }
}

/** Reads a dead-letter file's text; `file` names it in errors. */
export function parseDeadLetterFile(file: string, text: string): DeadLetterFile {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) {
    throw new DeadLetterFileError(`${file} is empty. Fix: pass a file written by \`fanout dlq pull\`.`);
  }
  const header = parseLine(file, 1, lines[0]!);
  checkHeader(file, header);
  const records = lines.slice(1).map((line, i) => {
    const record = parseLine(file, i + 2, line);
    checkRecord(file, i + 2, record);
    return record;
  });
  if (records.length !== header.count) {
    throw new DeadLetterFileError(
      `${file} holds ${records.length} dead letter(s) but its header says ${header.count}: it was cut or edited. Fix: pull the letters again.`,
    );
  }
  return { header, records };
}
