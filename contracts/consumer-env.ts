import { type DeliveryGuarantee, type IdempotencyKeySource, NAMED_KEY_SOURCES } from '../topology/types.ts';

/**
 * Environment variables the stack sets on every consumer function and the consumer runtime reads.
 * One definition so the two sides cannot drift.
 */
export const CONSUMER_ENV = {
  /** Endpoint (subscription or work queue) name. */
  name: 'FANOUT_CONSUMER',
  delivery: 'FANOUT_DELIVERY',
  /** `sns` (SNS JSON envelope), `sns-raw` (raw delivery) or `sqs` (work queue). */
  source: 'FANOUT_SOURCE',
  fifo: 'FANOUT_FIFO',
  /** Comma-separated: `field:<name>`, `attribute:<name>`, `sns-message-id`, `fifo-dedup-id`, `message-id`. */
  idempotencyKey: 'FANOUT_IDEMPOTENCY_KEY',
  /**
   * JSON object, event type → its own sources in the form of `FANOUT_IDEMPOTENCY_KEY`; set only when
   * the topology keys an event type apart (`idempotencyKeyByEvent`).
   */
  idempotencyKeyByEvent: 'FANOUT_IDEMPOTENCY_KEY_BY_EVENT',
  /** Message attribute carrying the producer's key: compared between copies of a business key. */
  producerKeyAttribute: 'FANOUT_PRODUCER_KEY_ATTRIBUTE',
  idempotencyTable: 'FANOUT_IDEMPOTENCY_TABLE',
  /** Hours an idempotency record is kept after completion (its TTL). */
  idempotencyTtlHours: 'FANOUT_IDEMPOTENCY_TTL_HOURS',
  queueUrl: 'FANOUT_QUEUE_URL',
  deadLetterQueueUrl: 'FANOUT_DLQ_URL',
  maxReceiveCount: 'FANOUT_MAX_RECEIVE_COUNT',
  maxDepth: 'FANOUT_MAX_DEPTH',
  parallelism: 'FANOUT_PARALLELISM',
  /** `true` on request/reply endpoints: only they answer a request's `replyTo`. */
  requestReply: 'FANOUT_REQUEST_REPLY',
  /** Name prefix of the stack's reply queues (`<app>-<stage>-reply-`): the only queues a reply may go to. */
  replyQueuePrefix: 'FANOUT_REPLY_QUEUE_PREFIX',
  /** Payload bucket of request/reply endpoints: replies too large for a message go there by claim-check. */
  payloadBucket: 'FANOUT_PAYLOAD_BUCKET',
  /** Prefix of `FANOUT_TABLE_<NAME>` variables holding business table names. */
  tablePrefix: 'FANOUT_TABLE_',
} as const;

/** Values of `FANOUT_SOURCE`: how records arrive. */
export const CONSUMER_SOURCES = ['sns', 'sns-raw', 'sqs'] as const;
export type ConsumerSource = (typeof CONSUMER_SOURCES)[number];

/** Values of `FANOUT_DELIVERY`. */
export const DELIVERY_GUARANTEES = [
  'at-most-once',
  'at-least-once',
  'exactly-once',
] as const satisfies readonly DeliveryGuarantee[];

/** How `FANOUT_IDEMPOTENCY_KEY` spells its sources, for error messages. */
export const KEY_SOURCE_FORMS = ['field:<name>', 'attribute:<name>', ...NAMED_KEY_SOURCES].join(', ');

export function tableEnvName(table: string): string {
  return `${CONSUMER_ENV.tablePrefix}${table.toUpperCase().replace(/-/g, '_')}`;
}

export function formatKeySources(sources: readonly IdempotencyKeySource[]): string {
  return sources
    .map((s) => (typeof s === 'string' ? s : 'field' in s ? `field:${s.field}` : `attribute:${s.attribute}`))
    .join(',');
}

/** The key sources `formatKeySources` wrote, or undefined when the value holds none or one that is not a source. */
export function parseKeySources(value: string): IdempotencyKeySource[] | undefined {
  const sources: IdempotencyKeySource[] = [];
  for (const s of value.split(',').filter(Boolean)) {
    if (s.startsWith('attribute:') && s.length > 'attribute:'.length) sources.push({ attribute: s.slice(10) });
    else if (s.startsWith('field:') && s.length > 'field:'.length) sources.push({ field: s.slice(6) });
    else if (isNamedKeySource(s)) sources.push(s);
    else return undefined;
  }
  return sources.length > 0 ? sources : undefined;
}

/** `FANOUT_IDEMPOTENCY_KEY_BY_EVENT`'s value; undefined when no event type is keyed apart. */
export function formatKeySourcesByEvent(
  byEvent: Readonly<Record<string, readonly IdempotencyKeySource[]>>,
): string | undefined {
  const entries = Object.entries(byEvent);
  if (entries.length === 0) return undefined;
  return JSON.stringify(Object.fromEntries(entries.map(([event, sources]) => [event, formatKeySources(sources)])));
}

/** The per-event sources `formatKeySourcesByEvent` wrote, or undefined when the value is not that. */
export function parseKeySourcesByEvent(value: string): Record<string, IdempotencyKeySource[]> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const byEvent: Record<string, IdempotencyKeySource[]> = {};
  for (const [event, raw] of Object.entries(parsed)) {
    const sources = typeof raw === 'string' ? parseKeySources(raw) : undefined;
    if (!sources) return undefined;
    byEvent[event] = sources;
  }
  return byEvent;
}

function isNamedKeySource(value: string): value is (typeof NAMED_KEY_SOURCES)[number] {
  return (NAMED_KEY_SOURCES as readonly string[]).includes(value);
}

/** EMF metrics every consumer emits (namespace, dimension, names): dashboards and alarms read these. */
export const CONSUMER_METRICS = {
  namespace: 'Fanout',
  /** Single dimension: the endpoint (subscription or work queue) name. */
  dimension: 'Consumer',
  names: {
    processed: 'Processed',
    failed: 'Failed',
    retried: 'Retried',
    duplicate: 'Duplicate',
    deferred: 'Deferred',
    deadLettered: 'DeadLettered',
    dropped: 'Dropped',
    shed: 'Shed',
    leaseLost: 'LeaseLost',
    /** Milliseconds from publish (SNS Timestamp, else SQS SentTimestamp) to the record's outcome. */
    endToEndLag: 'EndToEndLagMs',
  },
} as const;
