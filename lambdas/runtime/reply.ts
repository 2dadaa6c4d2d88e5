import type { SQSClient } from '@aws-sdk/client-sqs';
import { buildReply, REQUEST_REPLY, type ReplyContent, replyMessageBytes } from '../../contracts/runtime.ts';
import { loadSqs } from './clients.ts';
import type { ConsumerConfig } from './config.ts';
import { errorMessage } from './errors.ts';
import type { KeptResult } from './idempotency/store.ts';

/** `replaced`: the reply could not be sent; an error reply saying why went instead. */
export type ReplyResult = { readonly sent: true; readonly replaced?: string } | { readonly refused: string };

/**
 * Why a reply may not go to `replyTo`, or undefined when it may: only queues of this stack's reply
 * prefix, in the account and on the origin of the consumer's own queue. The URL comes from a message,
 * so anyone who can send one chooses it; the SQS client also ignores its host (useQueueUrlAsEndpoint
 * off), so a reply can only ever reach SQS, where IAM's `reply-*` grant applies.
 */
export function replyTargetProblem(
  replyTo: string,
  config: Pick<ConsumerConfig, 'replyQueuePrefix' | 'queueUrl'>,
): string | undefined {
  if (!config.replyQueuePrefix) return 'this endpoint has no reply queue prefix configured';
  let url: URL;
  try {
    url = new URL(replyTo);
  } catch {
    return `replyTo '${replyTo.slice(0, 200)}' is not a URL`;
  }
  const [account, name, ...rest] = url.pathname.split('/').filter(Boolean);
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return `replyTo uses ${url.protocol}, not an SQS queue URL`;
  if (!account || !name || rest.length > 0 || url.search || url.hash)
    return `replyTo '${url.href.slice(0, 200)}' is not an SQS queue URL (https://<host>/<account>/<queue>)`;
  if (!name.startsWith(config.replyQueuePrefix))
    return `replyTo queue '${name}' is not one of this stack's reply queues (${config.replyQueuePrefix}*)`;
  const own = new URL(config.queueUrl);
  const ownAccount = own.pathname.split('/').filter(Boolean)[0];
  if (url.origin !== own.origin || account !== ownAccount) {
    return `replyTo '${url.origin}/${account}/…' is not in this stack's account and region (${own.origin}/${ownAccount})`;
  }
  return undefined;
}

/** What a request is answered with: the handler's result now, or what its record kept, or an error. */
export type Answer =
  | { readonly fresh: unknown; readonly kept: KeptResult | undefined }
  | { readonly stored: KeptResult | undefined }
  | { readonly error: string };

/** The reply to send for an answer; an error when a fresh result can neither fit a message nor was claim-checked. */
function replyContent(answer: Answer): ReplyContent {
  if ('error' in answer) return { ok: false, error: answer.error };
  const kept = 'fresh' in answer ? answer.kept : answer.stored;
  if (kept && 'claimCheck' in kept) return { claimCheck: kept.claimCheck };
  if ('fresh' in answer) return { ok: true, result: answer.fresh ?? null };
  if (kept === undefined) return { ok: true, result: null };
  if ('json' in kept) return { ok: true, result: JSON.parse(kept.json) };
  return { ok: false, error: `the result was not kept for a repeated request: ${kept.notKept}` };
}

/**
 * Answers a request (a message carrying `replyTo` and `correlationId`) on its reply queue.
 * Returns undefined when the message asked for no answer; `refused` when `replyTo` is not allowed.
 * A reply that cannot travel (too large, or refused by SQS) is replaced by an error reply, so the
 * requester learns at once instead of waiting out its timeout; only when that fails too does it throw.
 */
export async function sendReply(
  client: () => Promise<SQSClient>,
  config: Pick<ConsumerConfig, 'replyQueuePrefix' | 'queueUrl'>,
  attributes: Readonly<Record<string, string>>,
  answer: Answer,
): Promise<ReplyResult | undefined> {
  let reply = buildReply(attributes, replyContent(answer));
  if (!reply) return undefined;
  const problem = replyTargetProblem(reply.QueueUrl, config);
  if (problem) return { refused: problem };
  const { SendMessageCommand } = await loadSqs();
  const sqs = await client();
  const max = REQUEST_REPLY.messageBytesMax;
  if (replyMessageBytes(reply) > max) {
    const why =
      'fresh' in answer && answer.kept && 'notKept' in answer.kept
        ? answer.kept.notKept
        : 'no claim-check was made for it';
    reply = buildReply(attributes, {
      ok: false,
      error: `the result is too large for a reply message (over ${max} bytes) and could not travel by claim-check: ${why}`,
    })!;
  }
  try {
    await sqs.send(new SendMessageCommand(reply));
  } catch (error) {
    const fallback = buildReply(attributes, {
      ok: false,
      error: `the reply could not be sent: ${errorMessage(error)}`,
    })!;
    if (fallback.MessageBody === reply.MessageBody) throw error;
    await sqs.send(new SendMessageCommand(fallback));
    return { sent: true, replaced: errorMessage(error) };
  }
  return { sent: true };
}
