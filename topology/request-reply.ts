/**
 * Request/reply contract between `publisher.request()` (client/) and the consumer runtime's `reply()`.
 * A request carries the message attributes `replyTo` (the SQS queue URL to answer on) and
 * `correlationId`. The runtime answers with `buildReply(...)`: an SQS SendMessage input whose
 * body is `{"ok":true,"result":...}` or `{"ok":false,"error":"..."}` and whose `correlationId`
 * attribute echoes the request's. Requests without `replyTo` need no answer.
 */
export const REQUEST_REPLY = {
  replyToAttribute: 'replyTo',
  correlationIdAttribute: 'correlationId',
} as const;

export type ReplyBody =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: string };

/** Shape of an SQS `SendMessageCommand` input, kept SDK-free. */
export interface ReplyMessage {
  readonly QueueUrl: string;
  readonly MessageBody: string;
  readonly MessageAttributes: Record<string, { readonly DataType: 'String'; readonly StringValue: string }>;
}

/** The reply to send for a request, or undefined when the request asked for none. */
export function buildReply(
  requestAttributes: Readonly<Record<string, string | undefined>>,
  body: ReplyBody,
): ReplyMessage | undefined {
  const queueUrl = requestAttributes[REQUEST_REPLY.replyToAttribute];
  const correlationId = requestAttributes[REQUEST_REPLY.correlationIdAttribute];
  if (!queueUrl || !correlationId) return undefined;
  return {
    QueueUrl: queueUrl,
    MessageBody: JSON.stringify(body),
    MessageAttributes: {
      [REQUEST_REPLY.correlationIdAttribute]: { DataType: 'String', StringValue: correlationId },
    },
  };
}
