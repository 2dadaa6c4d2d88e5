import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { asJson, generatedName, isTrue } from './naming.ts';
import type { Provisioner } from './types.ts';

const SNS_TOPIC_NAME_MAX = 256;

export const snsTopic: Provisioner = {
  type: 'AWS::SNS::Topic',
  enforced: true,
  async provision({ logicalId, properties: p, ctx }) {
    const fifo = isTrue(p.FifoTopic);
    const name =
      (p.TopicName as string | undefined) ??
      generatedName(ctx, logicalId, { maxLength: SNS_TOPIC_NAME_MAX, ending: fifo ? '.fifo' : '' });
    const attributes: Record<string, string> = {};
    if (fifo) attributes.FifoTopic = 'true';
    if (isTrue(p.ContentBasedDeduplication)) attributes.ContentBasedDeduplication = 'true';
    if (typeof p.DisplayName === 'string') attributes.DisplayName = p.DisplayName;
    // The archive (local/sns-archive) keeps what ArchivePolicy asks for; fauxqs stores the other attributes.
    if (p.ArchivePolicy) attributes.ArchivePolicy = asJson(p.ArchivePolicy);
    if (p.FifoThroughputScope !== undefined) attributes.FifoThroughputScope = String(p.FifoThroughputScope);
    if (p.MaximumMessageSize !== undefined) attributes.MaximumMessageSize = String(p.MaximumMessageSize);
    const { TopicArn } = await ctx.clients.sns.send(new CreateTopicCommand({ Name: name, Attributes: attributes }));
    return { physicalId: TopicArn!, attributes: { TopicArn: TopicArn!, TopicName: name } };
  },
};
