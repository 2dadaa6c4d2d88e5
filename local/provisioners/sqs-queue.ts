import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { InvalidResourceConfigError } from '../errors.ts';
import { asJson, generatedName, isTrue } from './naming.ts';
import type { Provisioner } from './types.ts';

const SQS_QUEUE_NAME_MAX = 80;
const FIFO_SUFFIX = '.fifo';
/** Queue properties passed to CreateQueue as attributes unchanged. */
const PLAIN_ATTRIBUTES = [
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
];
/** Queue timers that run on the scaled clock (`timeScale`). */
const SCALED_ATTRIBUTES = ['VisibilityTimeout', 'DelaySeconds'];

/** Scales a template duration in seconds; a positive duration never becomes 0. */
export function scaleSeconds(seconds: number, timeScale: number): number {
  if (seconds <= 0) return 0;
  return Math.max(1, Math.round(seconds / timeScale));
}

export const sqsQueue: Provisioner = {
  type: 'AWS::SQS::Queue',
  enforced: true,
  async provision({ logicalId, properties: p, ctx }) {
    const fifo = isTrue(p.FifoQueue);
    const name =
      (p.QueueName as string | undefined) ??
      generatedName(ctx, logicalId, { maxLength: SQS_QUEUE_NAME_MAX, ending: fifo ? FIFO_SUFFIX : '' });
    if (fifo !== name.endsWith(FIFO_SUFFIX)) {
      throw new InvalidResourceConfigError(
        logicalId,
        `queue name '${name}' must end with '.fifo' exactly when FifoQueue is true`,
        'Fix QueueName or FifoQueue.',
      );
    }
    const attributes: Record<string, string> = {};
    for (const key of PLAIN_ATTRIBUTES) if (p[key] !== undefined) attributes[key] = String(p[key]);
    for (const key of SCALED_ATTRIBUTES)
      if (p[key] !== undefined) attributes[key] = String(scaleSeconds(Number(p[key]), ctx.clock.timeScale));
    if (p.VisibilityTimeout === undefined) attributes.VisibilityTimeout = String(scaleSeconds(30, ctx.clock.timeScale));
    if (fifo) attributes.FifoQueue = 'true';
    if (isTrue(p.ContentBasedDeduplication)) attributes.ContentBasedDeduplication = 'true';
    if (p.RedrivePolicy) attributes.RedrivePolicy = asJson(p.RedrivePolicy);
    if (p.RedriveAllowPolicy) attributes.RedriveAllowPolicy = asJson(p.RedriveAllowPolicy);
    const { QueueUrl } = await ctx.clients.sqs.send(
      new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
    );
    const queueArn = `arn:${ctx.pseudo.partition}:sqs:${ctx.pseudo.region}:${ctx.pseudo.accountId}:${name}`;
    return {
      physicalId: QueueUrl!,
      // VisibilityTimeout (scaled seconds) is for the event source mappings, not a template attribute.
      attributes: {
        Arn: queueArn,
        QueueName: name,
        QueueUrl: QueueUrl!,
        FifoQueue: fifo,
        VisibilityTimeout: Number(attributes.VisibilityTimeout),
      },
    };
  },
};
