import type { SQSClient } from '@aws-sdk/client-sqs';
import { buildReply, type ReplyBody } from '../../topology/runtime.ts';
import { loadSqs } from './clients.ts';
import type { ConsumerConfig } from './config.ts';

export type ReplyResult = { readonly sent: true } | { readonly refused: string };

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
  if (config.queueUrl) {
    const own = new URL(config.queueUrl);
    const ownAccount = own.pathname.split('/').filter(Boolean)[0];
    if (url.origin !== own.origin || account !== ownAccount) {
      return `replyTo '${url.origin}/${account}/…' is not in this stack's account and region (${own.origin}/${ownAccount})`;
    }
  }
  return undefined;
}

/**
 * Answers a request (a message carrying `replyTo` and `correlationId`) on its reply queue.
 * Returns undefined when the message asked for no answer; `refused` when `replyTo` is not allowed.
 */
export async function sendReply(
  client: () => Promise<SQSClient>,
  config: Pick<ConsumerConfig, 'replyQueuePrefix' | 'queueUrl'>,
  attributes: Readonly<Record<string, string>>,
  body: ReplyBody,
): Promise<ReplyResult | undefined> {
  const reply = buildReply(attributes, body);
  if (!reply) return undefined;
  const problem = replyTargetProblem(reply.QueueUrl, config);
  if (problem) return { refused: problem };
  const { SendMessageCommand } = await loadSqs();
  await (await client()).send(new SendMessageCommand(reply));
  return { sent: true };
}

/** A stored result (JSON text) back as a value; undefined when none was stored. */
export function storedValue(result: string | undefined): unknown {
  return result === undefined ? undefined : JSON.parse(result);
}
