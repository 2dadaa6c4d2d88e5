import { ARCHIVE_POLICY_ATTRIBUTE } from '../../contracts/index.ts';
import type { SnsArchiveAction } from './context.ts';
import { xmlValue } from './query-protocol.ts';

/** The value of attribute `name` in CreateTopic / Subscribe parameters (`Attributes.entry.N.key/value`). */
export function attributeParam(params: Readonly<Record<string, string>>, name: string): string | undefined {
  for (const [key, value] of Object.entries(params)) {
    const n = /^Attributes\.entry\.(\d+)\.key$/.exec(key)?.[1];
    if (n !== undefined && value === name) return params[`Attributes.entry.${n}.value`];
  }
  return undefined;
}

/** CreateTopic: fauxqs creates the topic (keeping ArchivePolicy among its attributes); the archive starts for a FIFO topic with one. */
export const createTopic: SnsArchiveAction = async (params, ctx) => {
  const reply = await ctx.upstream();
  const topicArn = reply.status === 200 ? xmlValue(reply.body, 'TopicArn') : undefined;
  const policy = attributeParam(params, ARCHIVE_POLICY_ATTRIBUTE);
  if (topicArn?.endsWith('.fifo') && policy) ctx.store.setPolicy(topicArn, policy);
  return reply;
};
