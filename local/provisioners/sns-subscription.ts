import { SubscribeCommand } from '@aws-sdk/client-sns';
import { asJson, isTrue } from './naming.ts';
import type { Provisioner } from './types.ts';

/** Protocols fauxqs delivers to; others are subscribed but receive nothing locally. */
const DELIVERED_PROTOCOLS = new Set(['sqs']);

export const snsSubscription: Provisioner = {
  type: 'AWS::SNS::Subscription',
  enforced: true,
  async provision({ logicalId, properties: p, ctx }) {
    const protocol = String(p.Protocol);
    const attributes: Record<string, string> = {};
    if (p.FilterPolicy) attributes.FilterPolicy = asJson(p.FilterPolicy);
    if (p.FilterPolicyScope) attributes.FilterPolicyScope = String(p.FilterPolicyScope);
    if (isTrue(p.RawMessageDelivery)) attributes.RawMessageDelivery = 'true';
    if (p.RedrivePolicy) attributes.RedrivePolicy = asJson(p.RedrivePolicy);
    if (!DELIVERED_PROTOCOLS.has(protocol)) {
      ctx.warnings.push(
        `${logicalId}: SNS '${protocol}' subscriptions receive nothing locally (only sqs is delivered)`,
      );
    }
    const { SubscriptionArn } = await ctx.clients.sns.send(
      new SubscribeCommand({
        TopicArn: String(p.TopicArn),
        Protocol: protocol,
        Endpoint: String(p.Endpoint),
        Attributes: attributes,
        ReturnSubscriptionArn: true,
      }),
    );
    return { physicalId: SubscriptionArn!, attributes: { Arn: SubscriptionArn! } };
  },
};
