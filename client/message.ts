import { randomUUID } from 'node:crypto';
import { sha256Hex } from '../topology/claim-check.ts';
import { CLAIM_CHECK } from '../topology/claim-check.ts';
import { EVENT_TYPE_ATTRIBUTE } from '../topology/consumer-env.ts';
import { REQUEST_REPLY } from '../topology/request-reply.ts';
import type { Topology } from '../topology/types.ts';
import { buildAttributes, checkFifoId, type MessageAttributes } from './attributes.ts';
import { MissingGroupIdError } from './errors.ts';
import type { OutgoingMessage } from './send.ts';
import type { Destination } from './target.ts';

export { EVENT_TYPE_ATTRIBUTE };
const DEFAULT_KEY_ATTRIBUTE = 'idempotencyKey';

/** Per-message options of `publish`. */
export interface PublishOptions {
  /**
   * FIFO message group id.
   * @default - the payload's `groupBy` field of the event type; required for FIFO destinations
   */
  readonly groupId?: string;
  /**
   * Producer idempotency key, sent as the destination's `producerKeyAttribute` (what exactly-once
   * consumers dedup on) and used for the FIFO deduplication id.
   * @default - none
   */
  readonly idempotencyKey?: string;
  /**
   * FIFO deduplication id.
   * @default - none with content-based deduplication, else the idempotency key, else a SHA-256 of type + body
   */
  readonly deduplicationId?: string;
  /**
   * Correlation id attribute, to follow one business flow across services.
   * @default - a random UUID
   */
  readonly correlationId?: string;
  /**
   * Extra String message attributes (the publisher's own names are reserved).
   * @default {}
   */
  readonly attributes?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Topic or work queue name when the event type is published to more than one.
   * @default - the only (or first) destination carrying the event type
   */
  readonly via?: string;
  /**
   * Seconds before a work-queue message becomes visible (0–900, standard queues).
   * @default - the queue's delay
   */
  readonly delaySeconds?: number;
}

export const RESERVED_ATTRIBUTES: ReadonlySet<string> = new Set([
  EVENT_TYPE_ATTRIBUTE,
  REQUEST_REPLY.correlationIdAttribute,
  REQUEST_REPLY.replyToAttribute,
  CLAIM_CHECK.attribute,
  DEFAULT_KEY_ATTRIBUTE,
]);

export interface Envelope {
  readonly correlationId: string;
  readonly body: string;
  readonly attributes: MessageAttributes;
  readonly groupId: string | undefined;
}

function groupIdOf(topology: Topology, eventType: string, payload: unknown, dest: Destination, opts: PublishOptions) {
  if (!dest.fifo) return undefined;
  const groupBy = topology.events[eventType]?.groupBy;
  const fromPayload = groupBy ? (payload as Record<string, unknown>)?.[groupBy] : undefined;
  const groupId = opts.groupId ?? (fromPayload === undefined ? undefined : String(fromPayload));
  if (groupId === undefined) {
    throw new MissingGroupIdError(
      `Event type '${eventType}' goes to FIFO ${dest.kind} '${dest.name}', which needs a message group id. ` +
        `Fix: pass { groupId } to publish, or declare groupBy (the payload field holding the group) on '${eventType}' in the topology` +
        (groupBy ? ` (its groupBy field '${groupBy}' is missing from this payload).` : '.'),
    );
  }
  checkFifoId('group id', groupId, `'${eventType}' to '${dest.name}'`);
  return groupId;
}

/** Body, attributes and FIFO group of a validated payload (claim-check and dedup come later). */
export function envelope(
  topology: Topology,
  eventType: string,
  payload: unknown,
  dest: Destination,
  opts: PublishOptions,
  extra: Readonly<Record<string, string>> = {},
): Envelope {
  const correlationId = opts.correlationId ?? randomUUID();
  const own: Record<string, string> = {
    [EVENT_TYPE_ATTRIBUTE]: eventType,
    [REQUEST_REPLY.correlationIdAttribute]: correlationId,
    ...extra,
  };
  if (opts.idempotencyKey !== undefined) own[dest.producerKeyAttribute ?? DEFAULT_KEY_ATTRIBUTE] = opts.idempotencyKey;
  const reserved = new Set([...RESERVED_ATTRIBUTES, ...(dest.producerKeyAttribute ? [dest.producerKeyAttribute] : [])]);
  return {
    correlationId,
    body: JSON.stringify(payload),
    attributes: buildAttributes(own, opts.attributes, reserved),
    groupId: groupIdOf(topology, eventType, payload, dest, opts),
  };
}

/** The finished message: FIFO deduplication id chosen, final body (inline or claim-check pointer). */
export function outgoing(
  eventType: string,
  env: Envelope,
  dest: Destination,
  opts: PublishOptions,
  finalBody: string,
  finalAttributes: MessageAttributes,
): OutgoingMessage {
  let deduplicationId: string | undefined;
  if (dest.fifo) {
    deduplicationId = opts.deduplicationId;
    if (deduplicationId === undefined && !dest.contentBasedDeduplication) {
      const key = opts.idempotencyKey;
      deduplicationId = key !== undefined && /^[\x21-\x7e]{1,128}$/.test(key) ? key : sha256Hex(key ?? `${eventType}\n${env.body}`);
    }
    if (deduplicationId !== undefined) checkFifoId('deduplication id', deduplicationId, `'${eventType}' to '${dest.name}'`);
  }
  return {
    body: finalBody,
    attributes: finalAttributes,
    groupId: env.groupId,
    deduplicationId,
    delaySeconds: dest.kind === 'queue' ? opts.delaySeconds : undefined,
  };
}
