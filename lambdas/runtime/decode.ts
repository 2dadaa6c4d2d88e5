import type { SQSRecord } from 'aws-lambda';
import { EVENT_TYPE_ATTRIBUTE, type ConsumerSource } from '../../contracts/runtime.ts';
import { MalformedMessageError } from './errors.ts';

/** A record with its envelope removed: the message text and its string attributes. */
export interface UnwrappedMessage {
  /** The published message: the SNS `Message`, or the SQS body for raw delivery and work queues. */
  readonly text: string;
  /** String and Number message attributes by name (Binary ones are left out). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly eventType: string;
  /** SNS MessageId, stable across SNS redeliveries (envelope delivery only). */
  readonly snsMessageId?: string;
  /** When the producer published (SNS `Timestamp`), else when SQS received it. */
  readonly publishedAtMs?: number;
}

type Attributes = Record<string, string>;

function parseJson(text: string, what: string, expected: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedMessageError(`${what} is not JSON (${(error as Error).message}): expected ${expected}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** SNS envelope attributes: `{ name: { Type, Value } }`. */
function envelopeAttributes(raw: unknown): Attributes {
  if (raw === undefined) return {};
  if (!isObject(raw)) throw new MalformedMessageError('SNS envelope MessageAttributes is not an object');
  const attributes: Attributes = {};
  for (const [name, attribute] of Object.entries(raw)) {
    if (!isObject(attribute) || typeof attribute.Type !== 'string' || typeof attribute.Value !== 'string') {
      throw new MalformedMessageError(`SNS message attribute '${name}' must be {"Type": string, "Value": string}`);
    }
    if (name === EVENT_TYPE_ATTRIBUTE && attribute.Type !== 'String') {
      throw new MalformedMessageError(
        `message attribute '${name}' has type ${attribute.Type}: expected String. Fix: publish it as a String attribute`,
      );
    }
    if (attribute.Type !== 'Binary') attributes[name] = attribute.Value;
  }
  return attributes;
}

/** SQS (raw delivery / work queue) attributes in Lambda's casing: `{ name: { dataType, stringValue } }`. */
function sqsAttributes(raw: SQSRecord['messageAttributes'] | undefined): Attributes {
  const attributes: Attributes = {};
  for (const [name, attribute] of Object.entries(raw ?? {})) {
    const dataType = String(attribute?.dataType ?? '');
    if (name === EVENT_TYPE_ATTRIBUTE && !dataType.startsWith('String')) {
      throw new MalformedMessageError(
        `message attribute '${name}' has type ${dataType || 'none'}: expected String. Fix: send it as a String attribute`,
      );
    }
    if (dataType.startsWith('Binary')) continue;
    if (typeof attribute.stringValue !== 'string') {
      throw new MalformedMessageError(`message attribute '${name}' of type ${dataType} has no stringValue`);
    }
    attributes[name] = attribute.stringValue;
  }
  return attributes;
}

function eventTypeOf(attributes: Attributes): string {
  const eventType = attributes[EVENT_TYPE_ATTRIBUTE];
  if (!eventType) {
    throw new MalformedMessageError(
      `message attribute '${EVENT_TYPE_ATTRIBUTE}' is missing: every Fanout message names its event type. ` +
        `Fix: publish through the Fanout client or set the attribute`,
    );
  }
  return eventType;
}

function sentTimestamp(record: SQSRecord): number | undefined {
  const sent = Number(record.attributes?.SentTimestamp);
  return Number.isFinite(sent) && sent > 0 ? sent : undefined;
}

function unwrapEnvelope(record: SQSRecord, envelope: unknown): UnwrappedMessage {
  if (!isObject(envelope) || envelope.Type !== 'Notification') {
    const type = isObject(envelope) ? `Type is ${JSON.stringify(envelope.Type)}` : 'not a JSON object';
    throw new MalformedMessageError(`body is not an SNS Notification envelope (${type})`);
  }
  if (typeof envelope.Message !== 'string') {
    throw new MalformedMessageError("SNS envelope has no string 'Message'");
  }
  const attributes = envelopeAttributes(envelope.MessageAttributes);
  const published = typeof envelope.Timestamp === 'string' ? Date.parse(envelope.Timestamp) : NaN;
  return {
    text: envelope.Message,
    attributes,
    eventType: eventTypeOf(attributes),
    snsMessageId: typeof envelope.MessageId === 'string' ? envelope.MessageId : undefined,
    publishedAtMs: Number.isFinite(published) ? published : sentTimestamp(record),
  };
}

/** Removes the SNS envelope (if any) and reads the attributes; throws MalformedMessageError with the reason. */
export function unwrapRecord(record: SQSRecord, source: ConsumerSource): UnwrappedMessage {
  const body = record.body ?? '';
  if (body.trim() === '') throw new MalformedMessageError('body is empty: expected a JSON message');
  if (source === 'sns') {
    return unwrapEnvelope(record, parseJson(body, 'body', 'an SNS notification envelope'));
  }
  const attributes = sqsAttributes(record.messageAttributes);
  return { text: body, attributes, eventType: eventTypeOf(attributes), publishedAtMs: sentTimestamp(record) };
}

/** Parses the published message text into the payload the schema validates. */
export function parsePayload(text: string): unknown {
  if (text.trim() === '') throw new MalformedMessageError('message is empty: expected a JSON event payload');
  return parseJson(text, 'message', 'a JSON event payload');
}
