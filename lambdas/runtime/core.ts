import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { claimRecords } from './claim.ts';
import type { ConsumerConfig } from './config.ts';
import type { ConsumerDefinition, ConsumerDependencies, InvocationScope, Schemas } from './definition.ts';
import { type ConsumerEnvironment, consumerEnvironment } from './environment.ts';
import { errorMessage } from './errors.ts';
import { RUNTIME_DEFAULTS } from './limits.ts';
import { isRetried, type RecordOutcome, receiveCountOf } from './outcome.ts';
import { processBatch } from './schedule.ts';
import { shedExcess } from './shedding.ts';
import { GroupCommit } from './staged/group-commit.ts';
import { logLine, logOutcome, logShed } from './telemetry/log.ts';
import { emitMetrics } from './telemetry/metrics.ts';

export type BatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** The runtime core, independent of middy: one SQS batch in, a partial batch response out. */
export function createConsumer<S extends Schemas>(
  definition: ConsumerDefinition<S>,
  config: ConsumerConfig,
  dependencies: ConsumerDependencies = {},
): BatchHandler {
  const environment = consumerEnvironment(config, definition.effects === 'staged', dependencies);
  const { committer, sink, now } = environment;

  return async (event, context) => {
    const startedMs = now();
    const remainingMs = context?.getRemainingTimeInMillis?.() ?? RUNTIME_DEFAULTS.remainingTimeWithoutContextMs;
    const scope: InvocationScope = {
      ...environment,
      definition: definition as unknown as ConsumerDefinition<Schemas>,
      config,
      lambda: context,
      deadlineMs: startedMs + remainingMs,
      marginMs: Math.min(config.deadlineMarginMs, Math.floor(remainingMs / 4)),
      keysInBatch: new Map(),
      ...(committer ? { commits: new GroupCommit(committer) } : {}),
    };
    const shed = await shedIfOverDepth(scope, environment.shedding);
    const outcomes = await runBatch(scope, event.Records ?? []);
    emitMetrics(sink, config.name, outcomes, shed, now());
    return {
      batchItemFailures: outcomes.filter((o) => isRetried(o.kind)).map((o) => ({ itemIdentifier: o.messageId })),
    };
  };
}

/** At-most-once endpoints claim (delete) their records before running them; the others run them as delivered. */
async function runBatch(scope: InvocationScope, records: readonly SQSRecord[]): Promise<RecordOutcome[]> {
  const { config } = scope;
  if (config.delivery !== 'at-most-once' || records.length === 0) return processBatch(scope, records);
  const { claimed, unclaimed } = await claimRecords(await scope.sqs(), config.queueUrl, records);
  const ran = await processBatch(scope, claimed);
  const notRun: RecordOutcome[] = records
    .filter((r) => unclaimed.has(r.messageId))
    .map((r) => ({
      kind: 'not-started',
      messageId: r.messageId,
      receiveCount: receiveCountOf(r),
      durationMs: 0,
      reason: unclaimed.get(r.messageId)!,
    }));
  for (const outcome of notRun) logOutcome(scope.sink, config.name, outcome);
  return [...ran, ...notRun];
}

/**
 * At-most-once endpoints with a maxDepth drop the oldest backlog, checked at most once per interval
 * per container; a failed check never fails the batch.
 */
async function shedIfOverDepth(scope: InvocationScope, checks: ConsumerEnvironment['shedding']): Promise<number> {
  const { config, sink } = scope;
  if (config.delivery !== 'at-most-once' || config.maxDepth === undefined) return 0;
  const nowMs = scope.now();
  if (checks.lastCheckMs !== undefined && nowMs - checks.lastCheckMs < RUNTIME_DEFAULTS.shedCheckIntervalMs) return 0;
  checks.lastCheckMs = nowMs;
  try {
    const result = await shedExcess(await scope.sqs(), config.queueUrl, config.maxDepth);
    for (const messageId of result.shedMessageIds) {
      logShed(sink, config.name, messageId, `backlog ${result.depth} over maxDepth ${config.maxDepth}: oldest dropped`);
    }
    return result.shedMessageIds.length;
  } catch (error) {
    logLine(sink, 'WARN', 'shedding check failed', { consumer: config.name, reason: errorMessage(error) });
    return 0;
  }
}
