import { randomUUID } from 'node:crypto';
import { InvalidResourceConfigError } from '../errors.ts';
import { LIMITS } from '../../topology/internal.ts';
import { LOCAL_DEFAULTS, TEMPLATE_DEFAULTS } from '../limits.ts';
import type { Provisioner } from './types.ts';

export const lambdaEventSourceMapping: Provisioner = {
  type: 'AWS::Lambda::EventSourceMapping',
  enforced: true,
  provision({ logicalId, properties: p, ctx }) {
    const sourceArn = String(p.EventSourceArn ?? '');
    const queue = ctx.registry.findByIdentifier('AWS::SQS::Queue', sourceArn);
    if (!queue) {
      throw new InvalidResourceConfigError(
        logicalId,
        `event source '${sourceArn}' is not an SQS queue of this stack`,
        'Only SQS event sources run locally (no Kinesis, DynamoDB streams, Kafka or MQ).',
      );
    }
    const fn = ctx.lambdas.definition(String(p.FunctionName));
    const fifo = queue.attributes.FifoQueue === true;
    const batchSize = Number(p.BatchSize ?? TEMPLATE_DEFAULTS.esmBatchSize);
    const windowSeconds = Number(p.MaximumBatchingWindowInSeconds ?? 0);
    const maxBatch = fifo ? LIMITS.fifoBatchSizeMax : LIMITS.standardBatchSizeMax;
    if (!(batchSize >= 1 && batchSize <= maxBatch)) {
      throw new InvalidResourceConfigError(
        logicalId,
        `BatchSize must be between 1 and ${maxBatch} for a ${fifo ? 'FIFO' : 'standard'} queue (given ${batchSize})`,
        'Lower BatchSize.',
      );
    }
    if (!fifo && batchSize > LIMITS.batchSizeWithoutWindowMax && windowSeconds < LIMITS.minWindowForLargeBatchSeconds) {
      throw new InvalidResourceConfigError(
        logicalId,
        `BatchSize ${batchSize} > ${LIMITS.batchSizeWithoutWindowMax} needs MaximumBatchingWindowInSeconds ≥ 1 (given ${windowSeconds})`,
        'Set a batching window.',
      );
    }
    const maximumConcurrency = (p.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency;
    if (
      maximumConcurrency !== undefined &&
      !(maximumConcurrency >= LIMITS.maxConcurrencyMin && maximumConcurrency <= LIMITS.maxConcurrencyMax)
    ) {
      throw new InvalidResourceConfigError(
        logicalId,
        `ScalingConfig.MaximumConcurrency must be between 2 and 1000 (given ${maximumConcurrency})`,
        'Fix the scaling config.',
      );
    }
    const pollers = p.ProvisionedPollerConfig as { MinimumPollers?: number; MaximumPollers?: number } | undefined;
    if (pollers) checkPollers(logicalId, pollers, maximumConcurrency);
    const filterPatterns = ((p.FilterCriteria as { Filters?: { Pattern?: unknown }[] } | undefined)?.Filters ?? []).map(
      (f, i) => filterPattern(logicalId, f.Pattern, i),
    );
    const uuid = randomUUID();
    // Provisioned mode: the minimum pollers always run (AWS adds pollers up to the maximum with the backlog).
    const wanted = pollers
      ? (pollers.MinimumPollers ?? TEMPLATE_DEFAULTS.esmMinimumPollers)
      : (maximumConcurrency ?? LOCAL_DEFAULTS.esmDefaultConcurrency);
    const concurrency = Math.min(wanted, fn.reservedConcurrency ?? Number.POSITIVE_INFINITY);
    if (p.Enabled !== false && p.Enabled !== 'false' && concurrency > 0) {
      ctx.eventSourceMappings.push({
        id: uuid,
        functionName: fn.functionName,
        queueUrl: queue.physicalId,
        queueArn: String(queue.attributes.Arn),
        batchSize,
        batchingWindowMs: ctx.clock.realMs(windowSeconds * 1000),
        reportBatchItemFailures: ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes(
          'ReportBatchItemFailures',
        ),
        concurrency,
        filterPatterns,
        ...invocationHold(Number(queue.attributes.VisibilityTimeout), fn.timeoutSeconds),
      });
    }
    return {
      physicalId: uuid,
      attributes: {
        EventSourceMappingArn: `arn:${ctx.pseudo.partition}:lambda:${ctx.pseudo.region}:${ctx.pseudo.accountId}:event-source-mapping:${uuid}`,
      },
    };
  },
};

/**
 * A scaled visibility timeout shorter than the function's (real) timeout would hand a batch out again
 * while it still runs, which the template's ratio rules out on AWS: the poller then holds the batch.
 */
/** Lambda's init phase may take up to 10 s before the handler's timeout starts counting. */
const LAMBDA_INIT_SECONDS_MAX = 10;

function invocationHold(scaledVisibilitySeconds: number, timeoutSeconds: number) {
  // The invocation may first wait for a cold start: Lambda's init phase has its own budget.
  const holdSeconds = LAMBDA_INIT_SECONDS_MAX + timeoutSeconds + 1;
  return Number.isFinite(scaledVisibilitySeconds) && scaledVisibilitySeconds < holdSeconds
    ? { visibility: { holdSeconds, retrySeconds: scaledVisibilitySeconds } }
    : {};
}

function checkPollers(
  logicalId: string,
  pollers: { MinimumPollers?: number; MaximumPollers?: number },
  maximumConcurrency: number | undefined,
): void {
  const min = pollers.MinimumPollers ?? TEMPLATE_DEFAULTS.esmMinimumPollers;
  const max = pollers.MaximumPollers ?? TEMPLATE_DEFAULTS.esmMaximumPollers;
  if (
    !(Number.isInteger(min) && min >= LIMITS.provisionedPollersMin && min <= LIMITS.minimumPollersMax) ||
    !(Number.isInteger(max) && max >= Math.max(LIMITS.provisionedPollersMin, min) && max <= LIMITS.maximumPollersMax)
  ) {
    throw new InvalidResourceConfigError(
      logicalId,
      `ProvisionedPollerConfig needs MinimumPollers 2–200 and MaximumPollers from MinimumPollers to 2000 for SQS (given ${min} and ${max})`,
      'Fix the poller config.',
    );
  }
  if (maximumConcurrency !== undefined) {
    throw new InvalidResourceConfigError(
      logicalId,
      'ProvisionedPollerConfig and ScalingConfig.MaximumConcurrency cannot be combined',
      'Remove one of them.',
    );
  }
}

function filterPattern(logicalId: string, pattern: unknown, index: number): string {
  const text = typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return text;
  } catch {
    // reported below
  }
  throw new InvalidResourceConfigError(
    logicalId,
    `FilterCriteria.Filters[${index}].Pattern is not a JSON object (given ${text})`,
    'Write the pattern as a JSON object string.',
  );
}
