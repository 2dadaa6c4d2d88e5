import { ARCHIVE_POLICY_ATTRIBUTE } from '../../contracts/index.ts';
import type { SnsArchiveAction } from './context.ts';
import { invalidParameter, SnsApiError, xmlSuccess } from './query-protocol.ts';

/** SetTopicAttributes: ArchivePolicy is the archive's (fauxqs rejects it); every other attribute goes to fauxqs. */
export const setTopicAttributes: SnsArchiveAction = async (params, ctx) => {
  if (params.AttributeName !== ARCHIVE_POLICY_ATTRIBUTE) return ctx.upstream();
  const topicArn = params.TopicArn ?? '';
  if (!topicArn.endsWith('.fifo'))
    throw invalidParameter('ArchivePolicy: message archiving is only supported for FIFO topics');
  const probe = await ctx.upstream({ Action: 'GetTopicAttributes', TopicArn: topicArn });
  if (probe.status !== 200) throw new SnsApiError('NotFound', 'Topic does not exist', 404);
  ctx.store.setPolicy(topicArn, params.AttributeValue ?? '');
  return xmlSuccess('SetTopicAttributes');
};
