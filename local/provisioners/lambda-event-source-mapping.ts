import { randomUUID } from 'node:crypto';
import { InvalidResourceConfigError } from '../errors.ts';
import { AWS_LIMITS, LOCAL_DEFAULTS } from '../limits.ts';
import type { Provisioner } from './types.ts';

export const lambdaEventSourceMapping: Provisioner = {
  type: 'AWS::Lambda::EventSourceMapping',
  enforced: true,
  provision({ logicalId, properties: p, ctx }) {
    const sourceArn = String(p.EventSourceArn ?? '');
    const queue = ctx.registry.findByIdentifier('AWS::SQS::Queue', sourceArn);
    if (!queue) {
      throw new InvalidResourceConfigError(logicalId, `event source '${sourceArn}' is not an SQS queue of this stack`, 'Only SQS event sources run locally (no Kinesis, DynamoDB streams, Kafka or MQ).');
    }
    const fn = ctx.lambdas.definition(String(p.FunctionName));
    const fifo = queue.attributes.FifoQueue === true;
    const batchSize = Number(p.BatchSize ?? AWS_LIMITS.esmDefaultBatchSize);
    const windowSeconds = Number(p.MaximumBatchingWindowInSeconds ?? 0);
    const maxBatch = fifo ? AWS_LIMITS.esmFifoMaxBatchSize : AWS_LIMITS.esmStandardMaxBatchSize;
    if (!(batchSize >= 1 && batchSize <= maxBatch)) {
      throw new InvalidResourceConfigError(logicalId, `BatchSize must be between 1 and ${maxBatch} for a ${fifo ? 'FIFO' : 'standard'} queue (given ${batchSize})`, 'Lower BatchSize.');
    }
    if (!fifo && batchSize > AWS_LIMITS.esmBatchSizeNeedingWindow && windowSeconds < 1) {
      throw new InvalidResourceConfigError(logicalId, `BatchSize ${batchSize} > ${AWS_LIMITS.esmBatchSizeNeedingWindow} needs MaximumBatchingWindowInSeconds ≥ 1 (given ${windowSeconds})`, 'Set a batching window.');
    }
    const maximumConcurrency = (p.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency;
    if (maximumConcurrency !== undefined && !(maximumConcurrency >= AWS_LIMITS.esmMinMaximumConcurrency && maximumConcurrency <= AWS_LIMITS.esmMaxMaximumConcurrency)) {
      throw new InvalidResourceConfigError(logicalId, `ScalingConfig.MaximumConcurrency must be between 2 and 1000 (given ${maximumConcurrency})`, 'Fix the scaling config.');
    }
    if (p.FilterCriteria) ctx.warnings.push(`${logicalId}: event filtering (FilterCriteria) is not applied locally: every message reaches the function`);
    const uuid = randomUUID();
    const concurrency = Math.min(maximumConcurrency ?? LOCAL_DEFAULTS.esmDefaultConcurrency, fn.reservedConcurrency ?? Number.POSITIVE_INFINITY);
    if (p.Enabled !== false && p.Enabled !== 'false' && concurrency > 0) {
      ctx.eventSourceMappings.push({
        id: uuid,
        functionName: fn.functionName,
        queueUrl: queue.physicalId,
        queueArn: String(queue.attributes.Arn),
        batchSize,
        batchingWindowMs: ctx.clock.realMs(windowSeconds * 1000),
        reportBatchItemFailures: ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes('ReportBatchItemFailures'),
        concurrency,
      });
    }
    return { physicalId: uuid, attributes: { EventSourceMappingArn: `arn:${ctx.pseudo.partition}:lambda:${ctx.pseudo.region}:${ctx.pseudo.accountId}:event-source-mapping:${uuid}` } };
  },
};
