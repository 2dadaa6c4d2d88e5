import { ARCHIVE_POLICY_ATTRIBUTE, BEGINNING_ARCHIVE_TIME_ATTRIBUTE } from '../../contracts/index.ts';
import type { SnsArchiveAction } from './context.ts';
import { withAttributes } from './query-protocol.ts';

/** GetTopicAttributes: fauxqs's attributes plus the archive's ArchivePolicy and BeginningArchiveTime. */
export const getTopicAttributes: SnsArchiveAction = async (params, ctx) => {
  const reply = await ctx.upstream();
  const archive = ctx.store.archive(params.TopicArn ?? '');
  if (!archive) return reply;
  const extra: Record<string, string> = {
    [BEGINNING_ARCHIVE_TIME_ATTRIBUTE]: new Date(archive.beginningAt).toISOString(),
  };
  if (!reply.body.includes(`<key>${ARCHIVE_POLICY_ATTRIBUTE}</key>`)) extra[ARCHIVE_POLICY_ATTRIBUTE] = archive.policy;
  return withAttributes(reply, extra);
};
