import { GetSubscriptionAttributesCommand } from '@aws-sdk/client-sns';
import { REPLAY_POLICY_ATTRIBUTE, REPLAY_STATUSES, type ReplayPolicy } from '../../contracts/index.ts';
import type { Replay } from './archive-store.ts';
import type { SnsArchiveAction, SnsArchiveContext } from './context.ts';
import { invalidParameter, SnsApiError, xmlSuccess } from './query-protocol.ts';
import { runReplay, type ReplayTarget } from './replayer.ts';

/**
 * SetSubscriptionAttributes: a ReplayPolicy starts a replay of the topic's archive to this
 * subscription (validated as SNS does; it replaces a replay already running); every other
 * attribute goes to fauxqs.
 */
export const setSubscriptionAttributes: SnsArchiveAction = async (params, ctx) => {
  if (params.AttributeName !== REPLAY_POLICY_ATTRIBUTE) return ctx.upstream();
  const policyText = params.AttributeValue ?? '';
  const target = await replayTarget(params.SubscriptionArn ?? '', ctx);
  const earliest = ctx.store.earliest(target.topicArn);
  if (earliest === undefined) {
    throw invalidParameter(
      `ReplayPolicy: topic ${target.topicArn} does not archive messages (replay needs a FIFO topic with an ArchivePolicy)`,
    );
  }
  const { from, to } = replayWindow(policyText, earliest);
  const replay: Replay = {
    subscriptionArn: target.subscriptionArn,
    policy: policyText,
    status: REPLAY_STATUSES.pending,
    delivered: 0,
  };
  const previous = ctx.store.replay(target.subscriptionArn);
  ctx.store.setReplay(replay);
  const messages = ctx.store.window(target.topicArn, from, to);
  replay.done = (async () => {
    await previous?.done;
    await runReplay(ctx, replay, target, messages);
  })();
  return xmlSuccess('SetSubscriptionAttributes');
};

async function replayTarget(subscriptionArn: string, ctx: SnsArchiveContext): Promise<ReplayTarget> {
  let attributes: Record<string, string>;
  try {
    ({ Attributes: attributes = {} } = await ctx.sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }),
    ));
  } catch {
    throw new SnsApiError('NotFound', 'Subscription does not exist', 404);
  }
  return {
    subscriptionArn,
    topicArn: attributes.TopicArn ?? '',
    endpoint: attributes.Endpoint ?? '',
    raw: attributes.RawMessageDelivery === 'true',
    filterPolicy: attributes.FilterPolicy,
    filterPolicyScope: attributes.FilterPolicyScope,
  };
}

function replayWindow(policyText: string, earliest: number, now = Date.now()): { from: number; to: number } {
  let policy: Partial<ReplayPolicy>;
  try {
    policy = JSON.parse(policyText) as Partial<ReplayPolicy>;
  } catch {
    throw invalidParameter('ReplayPolicy: not valid JSON');
  }
  if (policy.PointType !== 'Timestamp')
    throw invalidParameter(`ReplayPolicy: PointType must be 'Timestamp' (given ${JSON.stringify(policy.PointType)})`);
  const from = Date.parse(policy.StartingPoint ?? '');
  const to = policy.EndingPoint === undefined ? now : Date.parse(policy.EndingPoint);
  if (!Number.isFinite(from))
    throw invalidParameter(
      `ReplayPolicy: StartingPoint must be an ISO 8601 timestamp (given ${JSON.stringify(policy.StartingPoint)})`,
    );
  if (!Number.isFinite(to))
    throw invalidParameter(
      `ReplayPolicy: EndingPoint must be an ISO 8601 timestamp (given ${JSON.stringify(policy.EndingPoint)})`,
    );
  if (from < earliest) {
    throw invalidParameter(
      `ReplayPolicy: StartingPoint ${new Date(from).toISOString()} is before the beginning of the archive (${new Date(earliest).toISOString()})`,
    );
  }
  if (from > now)
    throw invalidParameter(`ReplayPolicy: StartingPoint ${new Date(from).toISOString()} is in the future`);
  if (to < from) throw invalidParameter('ReplayPolicy: EndingPoint must be later than StartingPoint');
  return { from, to: Math.min(to, now) };
}
