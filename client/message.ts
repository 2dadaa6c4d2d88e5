import { randomUUID } from 'node:crypto';
import { EVENT_TYPE_ATTRIBUTE, type Topology } from '../topology/index.ts';
import { DEFAULT_PRODUCER_KEY_ATTRIBUTE } from '../topology/internal.ts';
import { CLAIM_CHECK, fifoDeduplicationId, REQUEST_REPLY } from '../contracts/index.ts';
import { buildAttributes, checkFifoId, type MessageAttributes } from './attributes.ts';
import { InvalidAttributeError, MissingGroupIdError } from './errors.ts';
import type { OutgoingMessage } from './send.ts';
import type { Destination } from './target.ts';

/** Per-message options of `publish`. */
export interface PublishOptions {
  /**
   * FIFO message group id.
   * @default - the payload's `groupBy` field of the event type; required for FIFO destinations
   */
  readonly groupId?: string;
  /**
   * Producer idempotency key: what identifies this logical message across every copy of it. Sent as
   * the destination's `producerKeyAttribute` (what exactly-once consumers dedup on) and part of the
   * FIFO deduplication id. Pass the business key to make publishing the same thing again a duplicate.
   * @default - a key minted once per publish() call (a random UUID), so the publisher's own retries
   *   carry the same key and a consumer can tell them apart from new messages
   */
  readonly idempotencyKey?: string;
  /**
   * FIFO deduplication id (1-128 ASCII letters, digits and punctuation); FIFO destinations only.
   * @default - `fifoDeduplicationId(eventType, idempotencyKey, payload)`, sent even to topics and queues
   *   with content-based deduplication, so two events with equal bodies (a capture and its refund) are
   *   never merged and a reused key with another payload reaches the consumer, which reports it
   */
  readonly deduplicationId?: string;
  /**
   * Correlation id attribute, to follow one business flow across services.
   * @default - a random UUID
   */
  readonly correlationId?: string;
  /**
   * Extra String message attributes. The publisher's own names and the dead-letter reason's are
   * reserved; with the publisher's own (eventType, correlationId, the key, replyTo, claim-check
   * marker) a message carries at most `PUBLISHED_ATTRIBUTES_MAX` (9): one of SQS's 10 stays free
   * for the reason the consumer runtime attaches when it dead-letters the message.
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
  DEFAULT_PRODUCER_KEY_ATTRIBUTE,
]);

export interface Envelope {
  readonly correlationId: string;
  /** The caller's key, or the one minted for this publish() call. */
  readonly idempotencyKey: string;
  /** The validated payload (what the FIFO deduplication id is derived from, with the key). */
  readonly payload: unknown;
  readonly body: string;
  readonly attributes: MessageAttributes;
  readonly groupId: string | undefined;
  /** Standard destinations: the tenant (`tenantBy`), sent as MessageGroupId for SQS fair queues. */
  readonly tenantGroupId: string | undefined;
}

/** The payload's `tenantBy` value on a standard destination (fair queues); FIFO destinations group by `groupBy`. */
function tenantGroupIdOf(
  topology: Topology,
  eventType: string,
  payload: unknown,
  dest: Destination,
): string | undefined {
  const tenantBy = topology.events[eventType]?.tenantBy;
  if (dest.fifo || !tenantBy) return undefined;
  const tenant = (payload as Record<string, unknown>)?.[tenantBy];
  if (tenant === undefined || tenant === null || tenant === '') return undefined;
  const groupId = String(tenant);
  checkFifoId('group id', groupId, `'${eventType}' to '${dest.name}'`);
  return groupId;
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
  const idempotencyKey = opts.idempotencyKey ?? randomUUID();
  if (idempotencyKey.length === 0) {
    throw new InvalidAttributeError(
      `The idempotencyKey of '${eventType}' to '${dest.name}' is empty. Fix: pass a non-empty key, or leave it out to have one minted.`,
    );
  }
  const keyAttribute = dest.producerKeyAttribute;
  const own: Record<string, string> = {
    [EVENT_TYPE_ATTRIBUTE]: eventType,
    [REQUEST_REPLY.correlationIdAttribute]: correlationId,
    [keyAttribute]: idempotencyKey,
    ...extra,
  };
  const reserved = new Set([...RESERVED_ATTRIBUTES, keyAttribute]);
  return {
    correlationId,
    idempotencyKey,
    payload,
    body: JSON.stringify(payload),
    attributes: buildAttributes(own, opts.attributes, reserved),
    groupId: groupIdOf(topology, eventType, payload, dest, opts),
    tenantGroupId: tenantGroupIdOf(topology, eventType, payload, dest),
  };
}

/**
 * The finished message: FIFO deduplication id chosen, final body (inline or claim-check pointer).
 * Built once per publish() call; every retry resends it unchanged (same key, same dedup id).
 */
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
    deduplicationId = opts.deduplicationId ?? fifoDeduplicationId(eventType, env.idempotencyKey, env.payload);
    checkFifoId('deduplication id', deduplicationId, `'${eventType}' to '${dest.name}'`);
  }
  return {
    body: finalBody,
    attributes: finalAttributes,
    groupId: env.groupId,
    tenantGroupId: env.tenantGroupId,
    deduplicationId,
    delaySeconds: dest.kind === 'queue' ? opts.delaySeconds : undefined,
  };
}
