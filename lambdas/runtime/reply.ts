import type { SQSClient } from '@aws-sdk/client-sqs';
import { buildReply, type ReplyBody } from '../../topology/request-reply.ts';
import { loadSqs } from './clients.ts';

/**
 * Answers a request (a message carrying `replyTo` and `correlationId`) on its reply queue.
 * Returns undefined when the message asked for no answer, else whether it was sent.
 */
export async function sendReply(
  client: () => Promise<SQSClient>,
  attributes: Readonly<Record<string, string>>,
  body: ReplyBody,
): Promise<'sent' | undefined> {
  const reply = buildReply(attributes, body);
  if (!reply) return undefined;
  const { SendMessageCommand } = await loadSqs();
  await (await client()).send(new SendMessageCommand(reply));
  return 'sent';
}

/** A stored result (JSON text) back as a value; undefined when none was stored. */
export function storedValue(result: string | undefined): unknown {
  return result === undefined ? undefined : JSON.parse(result);
}
