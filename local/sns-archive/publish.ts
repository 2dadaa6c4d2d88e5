import { messageAttributes, xmlValue, type SnsReply } from './query-protocol.ts';
import type { SnsArchiveAction } from './context.ts';
import type { ArchivedMessage } from './archive-store.ts';

/** Publish: fauxqs publishes and fans out; a message to an archiving topic is then archived. */
export const publish: SnsArchiveAction = async (params, ctx) => {
  const publishedAt = Date.now();
  const reply = await ctx.upstream();
  const topicArn = params.TopicArn ?? '';
  const messageId = reply.status === 200 ? xmlValue(reply.body, 'MessageId') : undefined;
  if (messageId && ctx.store.archive(topicArn)) {
    ctx.store.record(topicArn, archived(params, '', messageId, publishedAt));
  }
  return reply;
};

/** PublishBatch: each successful entry to an archiving topic is archived, in entry order. */
export const publishBatch: SnsArchiveAction = async (params, ctx) => {
  const publishedAt = Date.now();
  const reply: SnsReply = await ctx.upstream();
  const topicArn = params.TopicArn ?? '';
  if (reply.status !== 200 || !ctx.store.archive(topicArn)) return reply;
  const successful = /<Successful>(.*?)<\/Successful>/s.exec(reply.body)?.[1] ?? '';
  const ids = new Map(
    [...successful.matchAll(/<member><Id>([^<]*)<\/Id><MessageId>([^<]*)<\/MessageId><\/member>/g)].map((m) => [
      m[1]!,
      m[2]!,
    ]),
  );
  const entries = Object.keys(params)
    .map((key) => /^PublishBatchRequestEntries\.member\.(\d+)\.Id$/.exec(key)?.[1])
    .filter((n): n is string => n !== undefined)
    .sort((a, b) => Number(a) - Number(b));
  for (const n of entries) {
    const prefix = `PublishBatchRequestEntries.member.${n}.`;
    const messageId = ids.get(params[`${prefix}Id`] ?? '');
    if (messageId) ctx.store.record(topicArn, archived(params, prefix, messageId, publishedAt));
  }
  return reply;
};

function archived(
  params: Readonly<Record<string, string>>,
  prefix: string,
  messageId: string,
  publishedAt: number,
): ArchivedMessage {
  return {
    messageId,
    publishedAt,
    message: params[`${prefix}Message`] ?? '',
    subject: params[`${prefix}Subject`],
    attributes: messageAttributes(params, prefix),
    groupId: params[`${prefix}MessageGroupId`] ?? '',
    deduplicationId: params[`${prefix}MessageDeduplicationId`],
  };
}
