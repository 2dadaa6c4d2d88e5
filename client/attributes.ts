import { LIMITS } from '../topology/internal.ts';
import { MESSAGE_ATTRIBUTES_MAX, isDeadLetterAttribute, PUBLISHED_ATTRIBUTES_MAX } from '../contracts/index.ts';
import { InvalidAttributeError, PayloadTooLargeError } from './errors.ts';
import type { Destination } from './target.ts';

export type MessageAttributes = Record<string, { DataType: 'String'; StringValue: string }>;

const NAME_CHARS = /^[A-Za-z0-9_.-]+$/;
const RESERVED_PREFIX = /^(aws\.|amazon\.)/i;
// Characters SQS accepts (XML 1.0): #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF.
const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** The problem with an attribute name, or undefined when SNS and SQS both accept it. */
function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > LIMITS.attributeNameLengthMax)
    return `is ${name.length} characters long (at most ${LIMITS.attributeNameLengthMax})`;
  if (!NAME_CHARS.test(name)) return 'may contain only A-Z, a-z, 0-9, underscore, hyphen and period';
  if (RESERVED_PREFIX.test(name)) return "must not start with 'AWS.' or 'Amazon.' (reserved)";
  if (name.startsWith('.') || name.endsWith('.')) return 'must not start or end with a period';
  if (name.includes('..')) return 'must not contain two successive periods';
  return undefined;
}

/**
 * Checks attributes against the SNS and SQS rules (names, values, count) and converts them
 * to the SDK shape. `reserved` are the names the publisher sets itself.
 */
export function buildAttributes(
  own: Readonly<Record<string, string>>,
  user: Readonly<Record<string, string | number | boolean>> | undefined,
  reserved: ReadonlySet<string>,
): MessageAttributes {
  const result: MessageAttributes = {};
  for (const [name, value] of Object.entries(own)) result[name] = { DataType: 'String', StringValue: value };
  for (const [name, raw] of Object.entries(user ?? {})) {
    const problem = nameProblem(name);
    if (problem) {
      throw new InvalidAttributeError(`Message attribute name '${name}' ${problem}. Fix: rename the attribute.`);
    }
    if (isDeadLetterAttribute(name)) {
      throw new InvalidAttributeError(
        `Message attribute '${name}' is reserved for the reason the consumer runtime attaches when it dead-letters ` +
          `a message (a DLQ replay removes it). Fix: rename the attribute.`,
      );
    }
    if (reserved.has(name)) {
      throw new InvalidAttributeError(
        `Message attribute '${name}' is set by the publisher itself. Fix: pass it through its option ` +
          `(correlationId, idempotencyKey) or rename the attribute.`,
      );
    }
    const value = String(raw);
    if (value.length === 0) {
      throw new InvalidAttributeError(
        `Message attribute '${name}' has an empty value. Fix: give it a value or leave it out.`,
      );
    }
    if (INVALID_CHAR.test(value)) {
      throw new InvalidAttributeError(
        `Message attribute '${name}' contains a character SNS/SQS reject (allowed: tab, newline, carriage return, ` +
          `U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF). Fix: remove control characters or encode the value.`,
      );
    }
    result[name] = { DataType: 'String', StringValue: value };
  }
  return result;
}

/**
 * A published message carries at most `PUBLISHED_ATTRIBUTES_MAX` attributes, the publisher's own
 * included: SNS/SQS allow 10, and the last one is kept for the consumer runtime's dead-letter reason.
 */
export function checkAttributeBudget(names: readonly string[], why = ''): void {
  if (names.length <= PUBLISHED_ATTRIBUTES_MAX) return;
  throw new InvalidAttributeError(
    `A message may carry at most ${PUBLISHED_ATTRIBUTES_MAX} attributes, the publisher's own included ` +
      `(SNS and SQS allow ${MESSAGE_ATTRIBUTES_MAX}; one is kept free for the reason the consumer runtime attaches ` +
      `when it dead-letters the message); this one has ${names.length}${why} (${names.join(', ')}). ` +
      `Fix: drop ${names.length - PUBLISHED_ATTRIBUTES_MAX} or move them into the payload.`,
  );
}

/** Bytes a message counts against the size limit: body plus each attribute's name, type and value. */
export function messageSize(body: string, attributes: MessageAttributes): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, a] of Object.entries(attributes)) {
    size += Buffer.byteLength(name, 'utf8') + a.DataType.length + Buffer.byteLength(a.StringValue, 'utf8');
  }
  return size;
}

/**
 * Refuses a message whose attributes alone exceed its destination's limit: the claim-check moves only
 * the payload, so no publish of it could ever be sent.
 */
export function checkAttributesFit(label: string, dest: Destination, attributes: MessageAttributes): void {
  const size = messageSize('', attributes);
  if (size <= dest.maxMessageBytes) return;
  const [largest, bytes] = Object.entries(attributes)
    .map(([name, a]) => [name, Buffer.byteLength(a.StringValue, 'utf8')] as const)
    .reduce((a, b) => (b[1] > a[1] ? b : a));
  throw new PayloadTooLargeError(
    `${label} cannot fit: its attributes alone are ${size} bytes (largest: '${largest}', ${bytes}); ` +
      `the ${dest.kind} accepts at most ${dest.maxMessageBytes} per message, and a claim-check moves only the payload. ` +
      'Fix: move large values from the attributes into the payload.',
  );
}

/** `SNS topic 'orders'`: the destination a size error names. */
export function serviceLabel(dest: Destination): string {
  return `${dest.kind === 'topic' ? 'SNS topic' : 'SQS queue'} '${dest.name}'`;
}

/** Checks a FIFO group or deduplication id: 1–128 characters of ASCII letters, digits and punctuation. */
export function checkFifoId(kind: 'group id' | 'deduplication id', value: string, where: string): void {
  if (value.length === 0 || value.length > LIMITS.fifoIdLengthMax || !/^[\x21-\x7e]+$/.test(value)) {
    throw new InvalidAttributeError(
      `FIFO ${kind} '${value}' for ${where} must be 1-${LIMITS.fifoIdLengthMax} characters of ` +
        `ASCII letters, digits and punctuation (no spaces). Fix: shorten it or hash it.`,
    );
  }
}
