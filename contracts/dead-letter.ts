/**
 * Dead-letter reason contract between the consumer runtime (which sends a record to its DLQ with
 * the reason attached) and the operator tools (`fanout dlq peek|replay`, the console).
 *
 * The reason travels in ONE message attribute, JSON-encoded, so that a dead-lettered copy keeps every
 * original attribute (event type, idempotency key, claim-check marker, correlation id, …): SQS allows
 * 10 attributes per message and the publisher uses at most `PUBLISHED_ATTRIBUTES_MAX`, leaving a slot
 * for the reason. A replay strips the reason (`isDeadLetterAttribute`), so a later failure never
 * carries a stale one.
 */
export const DEAD_LETTER_ATTRIBUTE = 'fanoutDeadLetter';

/** Attribute names of the first release (five attributes); still read and stripped on replay. */
const LEGACY = {
  kind: 'fanoutErrorKind',
  message: 'fanoutErrorMessage',
  receiveCount: 'fanoutReceiveCount',
  consumer: 'fanoutConsumer',
  originalMessageId: 'fanoutOriginalMessageId',
} as const;
const LEGACY_DEAD_LETTER_ATTRIBUTES: ReadonlySet<string> = new Set(Object.values(LEGACY));

/** SQS and SNS accept 10 message attributes; one is kept free for the dead-letter reason. */
export const MESSAGE_ATTRIBUTES_MAX = 10;
export const PUBLISHED_ATTRIBUTES_MAX = MESSAGE_ATTRIBUTES_MAX - 1;

/** Longest reason text kept in the attribute (the attribute value counts against the 256 KiB message size). */
export const DEAD_LETTER_REASON_MAX_CHARS = 1000;

export interface DeadLetterReason {
  /** Failure kind, e.g. `schema-validation`, `retries-exhausted`, `idempotency-key-reused`. */
  readonly kind: string;
  /** What went wrong, for an operator. */
  readonly message: string;
  /** ApproximateReceiveCount of the delivery that gave up. */
  readonly receiveCount: number;
  /** Endpoint (subscription or work queue) that dead-lettered it. */
  readonly consumer: string;
  /** SQS messageId of the record in the source queue. */
  readonly originalMessageId: string;
  /** ISO time it was dead-lettered. */
  readonly deadLetteredAt: string;
}

export function isDeadLetterAttribute(name: string): boolean {
  return name === DEAD_LETTER_ATTRIBUTE || LEGACY_DEAD_LETTER_ATTRIBUTES.has(name);
}

export function encodeDeadLetterReason(reason: DeadLetterReason): string {
  return JSON.stringify({ ...reason, message: reason.message.slice(0, DEAD_LETTER_REASON_MAX_CHARS) || '(none)' });
}

/** What a reason cut to fit ends with: where the whole reason is. */
export const cutReasonPointer = (originalMessageId: string): string =>
  ` … [cut to fit the message size limit; the whole reason is in the 'record outcome' log line of message ${originalMessageId}]`;

/**
 * The encoded reason in at most `maxBytes` (UTF-8): whole when it fits, else its message cut and
 * ending with `cutReasonPointer`; undefined when not even a reason without its text fits.
 */
export function encodeDeadLetterReasonWithin(reason: DeadLetterReason, maxBytes: number): string | undefined {
  const whole = encodeDeadLetterReason(reason);
  if (Buffer.byteLength(whole, 'utf8') <= maxBytes) return whole;
  const pointer = cutReasonPointer(reason.originalMessageId);
  const text = reason.message.slice(0, DEAD_LETTER_REASON_MAX_CHARS);
  const encode = (chars: number) => JSON.stringify({ ...reason, message: text.slice(0, chars) + pointer });
  const fits = (chars: number) => Buffer.byteLength(encode(chars), 'utf8') <= maxBytes;
  if (!fits(0)) return undefined;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return encode(low);
}

/**
 * The reason attached to a dead-lettered message (string attributes by name), or undefined when it
 * carries none (e.g. SQS's own redrive after maxReceiveCount). Reads the legacy five attributes too.
 */
export function decodeDeadLetterReason(
  attributes: Readonly<Record<string, string | undefined>>,
): DeadLetterReason | undefined {
  const raw = attributes[DEAD_LETTER_ATTRIBUTE];
  if (raw !== undefined) {
    try {
      const parsed = JSON.parse(raw) as Partial<DeadLetterReason>;
      if (typeof parsed === 'object' && parsed !== null && typeof parsed.kind === 'string') {
        return {
          kind: parsed.kind,
          message: String(parsed.message ?? ''),
          receiveCount: Number(parsed.receiveCount ?? 0),
          consumer: String(parsed.consumer ?? ''),
          originalMessageId: String(parsed.originalMessageId ?? ''),
          deadLetteredAt: String(parsed.deadLetteredAt ?? ''),
        };
      }
    } catch {
      // fall through: an unreadable reason is reported as such
    }
    return { kind: 'unknown', message: raw, receiveCount: 0, consumer: '', originalMessageId: '', deadLetteredAt: '' };
  }
  const kind = attributes[LEGACY.kind];
  if (kind === undefined) return undefined;
  return {
    kind,
    message: attributes[LEGACY.message] ?? '',
    receiveCount: Number(attributes[LEGACY.receiveCount] ?? 0),
    consumer: attributes[LEGACY.consumer] ?? '',
    originalMessageId: attributes[LEGACY.originalMessageId] ?? '',
    deadLetteredAt: '',
  };
}

/**
 * Dead-letter reason kinds a replay cannot fix (the consumer runtime's permanent failures), each
 * with why the same message fails the same way again. The operator tools ask before replaying them.
 */
export const PERMANENT_DEAD_LETTER_KINDS: Readonly<Record<string, string>> = {
  'schema-validation': "its payload does not match the event's schema, and a replay sends the same payload",
  'malformed-message': 'its body or attributes cannot be decoded, and a replay sends the same bytes',
  'unknown-event-type': 'the consumer has no handler for its event type (deploy one first)',
  permanent: 'the handler threw a PermanentError for it (fix the handler first)',
  'idempotency-key-reused': 'its idempotency key belongs to a message with a different payload',
};
