import type { SQSRecord } from 'aws-lambda';
import pLimit from 'p-limit';
import type { InvocationScope } from './definition.ts';
import { isRetried, type RecordOutcome, receiveCountOf } from './outcome.ts';
import { processRecord } from './process-record.ts';
import { logOutcome } from './telemetry/log.ts';

/** Outcomes of a batch, in record order. */
export async function processBatch(scope: InvocationScope, records: readonly SQSRecord[]): Promise<RecordOutcome[]> {
  const outcomes: RecordOutcome[] = new Array(records.length);
  const settle = (index: number, outcome: RecordOutcome) => {
    outcomes[index] = outcome;
    logOutcome(scope.sink, scope.config.name, outcome);
  };
  const lanes = scope.config.fifo ? fifoLanes(records) : records.map((_, index) => [index]);
  await runPool(lanes, scope.config.parallelism, async (lane) => {
    for (let position = 0; position < lane.length; position++) {
      const index = lane[position]!;
      const outcome = await startOrSkip(scope, records[index]!);
      settle(index, outcome);
      if (scope.config.fifo && isRetried(outcome.kind)) {
        // Order within a group: nothing after a retried message may run before it.
        for (const later of lane.slice(position + 1)) settle(later, skipped(records[later]!, outcome.messageId));
        return;
      }
    }
  });
  return outcomes;
}

/** Record indexes per FIFO message group, each in delivery order. */
function fifoLanes(records: readonly SQSRecord[]): number[][] {
  const groups = new Map<string, number[]>();
  records.forEach((record, index) => {
    const group = record.attributes?.MessageGroupId ?? '';
    const lane = groups.get(group);
    if (lane) lane.push(index);
    else groups.set(group, [index]);
  });
  return [...groups.values()];
}

async function startOrSkip(scope: InvocationScope, record: SQSRecord): Promise<RecordOutcome> {
  const remaining = scope.deadlineMs - scope.now();
  if (remaining >= scope.marginMs) return processRecord(scope, record);
  return {
    kind: 'not-started',
    messageId: record.messageId,
    receiveCount: receiveCountOf(record),
    durationMs: 0,
    reason: `deadline guard: ${remaining}ms left, below the ${scope.marginMs}ms margin`,
  };
}

function skipped(record: SQSRecord, failedMessageId: string): RecordOutcome {
  return {
    kind: 'skipped',
    messageId: record.messageId,
    receiveCount: receiveCountOf(record),
    durationMs: 0,
    reason: `earlier message ${failedMessageId} of group '${record.attributes?.MessageGroupId}' was not completed`,
  };
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function runPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const run = pLimit(Math.max(1, limit));
  await Promise.all(items.map((item) => run(() => work(item))));
}
