import { REPLAY_POLICY_ATTRIBUTE, REPLAY_STATUS_ATTRIBUTE } from '../../contracts/index.ts';
import type { SnsArchiveAction } from './context.ts';
import { withAttributes } from './query-protocol.ts';

/** GetSubscriptionAttributes: fauxqs's attributes plus the subscription's ReplayPolicy and ReplayStatus. */
export const getSubscriptionAttributes: SnsArchiveAction = async (params, ctx) => {
  const reply = await ctx.upstream();
  const replay = ctx.store.replay(params.SubscriptionArn ?? '');
  return replay
    ? withAttributes(reply, { [REPLAY_POLICY_ATTRIBUTE]: replay.policy, [REPLAY_STATUS_ATTRIBUTE]: replay.status })
    : reply;
};
