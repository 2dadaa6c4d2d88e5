import { SQS_LIMITS } from '../topology/sqs-limits.ts';
import { CLAIM_CHECK, claimCheckBody, type ClaimCheckPointer } from './claim-check.ts';

/**
 * Request/reply contract between `publisher.request()` (client/) and the consumer runtime's `reply()`.
 * A request carries the message attributes `replyTo` (the SQS queue URL to answer on) and
 * `correlationId`. The runtime answers with `buildReply(...)`: an SQS SendMessage input whose
 * body is `{"ok":true,"result":...}` or `{"ok":false,"error":"..."}` and whose `correlationId`
 * attribute echoes the request's. Requests without `replyTo` need no answer.
 * A reply too large for a message travels by claim-check, as messages do: the body is a pointer to
 * an object (under `replyObjectKeyPrefix(consumer)` in the payload bucket) holding the reply body,
 * and the message carries the claim-check attribute.
 */
export const REQUEST_REPLY = {
  replyToAttribute: 'replyTo',
  correlationIdAttribute: 'correlationId',
  /** Largest reply message (body + attributes): SQS's message size; larger replies go by claim-check. */
  messageBytesMax: SQS_LIMITS.messageBytesMax,
} as const;

export type ReplyBody =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: string };

/** What a reply carries: the reply body itself, or a claim-check pointer to an object holding it. */
export type ReplyContent = ReplyBody | { readonly claimCheck: ClaimCheckPointer };

/** Where a consumer stores reply bodies too large for a message (its role may write only there). */
export function replyObjectKeyPrefix(consumer: string): string {
  return `${CLAIM_CHECK.keyPrefix}replies/${consumer}/`;
}

/** Shape of an SQS `SendMessageCommand` input, kept SDK-free. */
export interface ReplyMessage {
  readonly QueueUrl: string;
  readonly MessageBody: string;
  readonly MessageAttributes: Record<string, { readonly DataType: 'String'; readonly StringValue: string }>;
}

/** The reply to send for a request, or undefined when the request asked for none. */
export function buildReply(
  requestAttributes: Readonly<Record<string, string | undefined>>,
  content: ReplyContent,
): ReplyMessage | undefined {
  const queueUrl = requestAttributes[REQUEST_REPLY.replyToAttribute];
  const correlationId = requestAttributes[REQUEST_REPLY.correlationIdAttribute];
  if (!queueUrl || !correlationId) return undefined;
  const claimChecked = 'claimCheck' in content;
  return {
    QueueUrl: queueUrl,
    MessageBody: claimChecked ? claimCheckBody(content.claimCheck) : JSON.stringify(content),
    MessageAttributes: {
      [REQUEST_REPLY.correlationIdAttribute]: { DataType: 'String', StringValue: correlationId },
      ...(claimChecked ? { [CLAIM_CHECK.attribute]: { DataType: 'String', StringValue: CLAIM_CHECK.version } } : {}),
    },
  };
}

/** Bytes SQS counts for a message: its body and each attribute's name, type and value. */
export function replyMessageBytes(reply: ReplyMessage): number {
  let bytes = Buffer.byteLength(reply.MessageBody, 'utf8');
  for (const [name, a] of Object.entries(reply.MessageAttributes))
    bytes += Buffer.byteLength(name, 'utf8') + a.DataType.length + Buffer.byteLength(a.StringValue, 'utf8');
  return bytes;
}
