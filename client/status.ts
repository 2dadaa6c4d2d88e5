import pLimit from 'p-limit';
import { alarmOwner } from '../topology/internal.ts';
import type { OperatorContext } from './operator.ts';
import { queueAttributes } from './sqs-util.ts';
import { defaultInsight, type StatusInsight } from './status-insight.ts';

/** Endpoints read at once: two requests each, within the SDK's default pool of 50 sockets. */
const STATUS_READS_AT_ONCE = 20;

export interface AlarmState {
  readonly name: string;
  readonly state: string;
}

export interface SubscriberStatus {
  readonly name: string;
  /** `topic/subscriber` or the work queue name. */
  readonly path: string;
  readonly delivery: string;
  readonly fifo: boolean;
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
  /** Seconds; undefined where no CloudWatch metrics are available. */
  readonly oldestAgeSeconds: number | undefined;
  /** Undefined for at-most-once endpoints (no DLQ). */
  readonly dlqVisible: number | undefined;
  /** Undefined where neither CloudWatch nor a local status snapshot is available (or CloudWatch failed). */
  readonly alarms: readonly AlarmState[] | undefined;
}

/**
 * The alarms of one endpoint: those whose metrics watch one of its resources, or (when the insight
 * does not say what an alarm watches) those named `<prefix>-<endpoint>-<kind>`.
 */
export function alarmsOf(
  insight: StatusInsight,
  prefix: string,
  endpoint: string,
  resources: readonly string[],
  allEndpoints: readonly string[],
): AlarmState[] {
  return insight.alarms
    .filter((a) =>
      a.watches?.length
        ? a.watches.some((w) => resources.includes(w))
        : alarmOwner(a.name, prefix, allEndpoints) === endpoint,
    )
    .map((a) => ({ name: a.name, state: a.state }));
}

/** Depths, DLQ depth, oldest message age and alarm states of every subscriber and work queue. */
export async function subscriberStatus(
  ctx: OperatorContext,
  /** @default - CloudWatch when reachable, else the local cloud's status snapshot */
  insight?: StatusInsight,
): Promise<SubscriberStatus[]> {
  const endpoints = ctx.target.topology.endpoints;
  const known = insight ?? (await defaultInsight(ctx));
  const names = endpoints.map((e) => e.name);
  const limit = pLimit(STATUS_READS_AT_ONCE);
  return Promise.all(
    endpoints.map(
      async (e): Promise<SubscriberStatus> =>
        limit(async () => {
          const { queueUrl, deadLetterQueueUrl } = ctx.target.endpoint(e.name);
          const [q, dlq] = await Promise.all([
            queueAttributes(ctx.clients.sqs, queueUrl, [
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
              'ApproximateNumberOfMessagesDelayed',
            ]),
            deadLetterQueueUrl
              ? queueAttributes(ctx.clients.sqs, deadLetterQueueUrl, ['ApproximateNumberOfMessages'])
              : undefined,
          ]);
          return {
            name: e.name,
            path: e.path,
            delivery: e.delivery,
            fifo: e.fifo,
            visible: Number(q.ApproximateNumberOfMessages ?? 0),
            inFlight: Number(q.ApproximateNumberOfMessagesNotVisible ?? 0),
            delayed: Number(q.ApproximateNumberOfMessagesDelayed ?? 0),
            oldestAgeSeconds: known?.oldestAgeSeconds.get(e.names.queue),
            dlqVisible: dlq ? Number(dlq.ApproximateNumberOfMessages ?? 0) : undefined,
            alarms:
              known && !known.problem
                ? alarmsOf(
                    known,
                    ctx.target.topology.prefix,
                    e.name,
                    // The runtime's outcome alarms watch the `Consumer` dimension: the endpoint's own name.
                    [
                      e.names.queue,
                      e.names.deadLetterQueue,
                      e.names.function,
                      e.names.subscriptionDeadLetterQueue,
                      e.name,
                    ].filter(Boolean),
                    names,
                  )
                : undefined,
          };
        }),
    ),
  );
}
