import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  SetSubscriptionAttributesCommand,
} from '@aws-sdk/client-sns';
import {
  ARCHIVE_POLICY_ATTRIBUTE,
  BEGINNING_ARCHIVE_TIME_ATTRIBUTE,
  REPLAY_POLICY_ATTRIBUTE,
  REPLAY_STATUS_ATTRIBUTE,
  REPLAY_STATUSES,
  replayPolicy,
  type ReplayPolicy,
} from '../contracts/index.ts';
import { FanoutClientError } from './errors.ts';
import type { OperatorContext } from './operator.ts';
import { clearWindowRecords, type ClearedRecords } from './replay-idempotency.ts';
import { sleep } from './retry.ts';
import { queueAttributes } from './sqs-util.ts';

/** A replay that cannot run as asked; the message names the input, the rule and the fix. */
export class ReplayRefusedError extends FanoutClientError {
  override readonly name = 'ReplayRefusedError';
}

export interface ArchiveReplayOptions {
  /** Topic name in the topology (a FIFO topic with `archiveRetentionDays`). */
  readonly topic: string;
  /** Subscriber of that topic. */
  readonly subscriber: string;
  /** Replay messages published at or after this instant (inside the archive window). */
  readonly from: Date;
  /** ...and up to this one. @default - up to the moment the replay starts */
  readonly to?: Date;
  /**
   * Delete the subscriber's idempotency records of the window first, so replayed messages run again
   * (rebuild, recovery of mishandled messages) instead of being skipped as duplicates.
   * @default false - keep them: only messages without a record (lost, dead-lettered) run
   */
  readonly resetIdempotency?: boolean;
  /** DynamoDB client for the idempotency table. @default - from the environment (AWS SDK chain) */
  readonly dynamodb?: DynamoDBClient;
  /** Called on every status poll. */
  readonly onProgress?: (progress: ReplayProgress) => void;
  /** @default 250 */
  readonly pollIntervalMs?: number;
  readonly signal?: AbortSignal;
}

export interface ReplayProgress {
  readonly status: string;
  /** Messages in the subscriber's queue: visible + in flight. */
  readonly queued: number;
}

export interface ArchiveReplayResult {
  readonly subscriptionArn: string;
  readonly status: string;
  readonly from: Date;
  readonly to: Date | undefined;
  readonly cleared: ClearedRecords | undefined;
}

/** The topic, the subscriber's endpoint and the topic's ARN, or a refusal naming what is wrong. */
function replayable(ops: OperatorContext, options: ArchiveReplayOptions) {
  const topology = ops.target.topology;
  const topic = topology.topics.find((t) => t.name === options.topic);
  if (!topic) {
    throw new ReplayRefusedError(
      `Unknown topic '${options.topic}'. Fix: replay one of ${topology.topics.map((t) => t.name).join(', ')}.`,
    );
  }
  if (!topic.fifo) {
    throw new ReplayRefusedError(
      `Topic '${topic.name}' is a standard topic, and SNS archives and replays only FIFO topics. Fix: replay a FIFO topic with archiveRetentionDays, or recover this subscriber from its DLQ (fanout dlq replay).`,
    );
  }
  if (topic.archiveRetentionDays === undefined) {
    throw new ReplayRefusedError(
      `Topic '${topic.name}' keeps no archive. Fix: set archiveRetentionDays on it and deploy; only messages published after that can be replayed.`,
    );
  }
  if (!topic.subscriptions.includes(options.subscriber)) {
    throw new ReplayRefusedError(
      `Subscriber '${options.subscriber}' cannot replay from topic '${topic.name}': it is not subscribed to it (subscribers: ${topic.subscriptions.join(', ') || 'none'}). Fix: pick one of them.`,
    );
  }
  const endpoint = ops.target.endpoint(options.subscriber);
  return { topic, endpoint, topicArn: ops.target.destination(topic.name).address };
}

export async function archiveWindow(
  ops: OperatorContext,
  topicArn: string,
  topicName: string,
): Promise<{ earliest: Date; retentionDays: number }> {
  const { Attributes = {} } = await ops.clients.sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
  const retentionDays = Number(
    (JSON.parse(Attributes[ARCHIVE_POLICY_ATTRIBUTE] ?? '{}') as { MessageRetentionPeriod?: unknown })
      .MessageRetentionPeriod,
  );
  if (!Number.isFinite(retentionDays)) {
    throw new ReplayRefusedError(
      `Topic '${topicName}' (${topicArn}) has no ArchivePolicy deployed. Fix: deploy the stack (npx cdk deploy) so its archive exists.`,
    );
  }
  const beginning = Date.parse(Attributes[BEGINNING_ARCHIVE_TIME_ATTRIBUTE] ?? '');
  const byRetention = Date.now() - retentionDays * 86_400_000;
  return {
    earliest: new Date(Number.isFinite(beginning) ? Math.max(beginning, byRetention) : byRetention),
    retentionDays,
  };
}

function checkWindow(options: ArchiveReplayOptions, earliest: Date, retentionDays: number, topicName: string): void {
  const now = new Date();
  if (options.from < earliest) {
    throw new ReplayRefusedError(
      `--from ${options.from.toISOString()} is outside the archive window of topic '${topicName}' (${retentionDays} days, messages from ${earliest.toISOString()} on). Fix: start at ${earliest.toISOString()} or later.`,
    );
  }
  if (options.from > now)
    throw new ReplayRefusedError(
      `--from ${options.from.toISOString()} is in the future. Fix: give a past instant, e.g. --from 2h.`,
    );
  if (options.to && options.to < options.from) {
    throw new ReplayRefusedError(
      `--to ${options.to.toISOString()} is before --from ${options.from.toISOString()}. Fix: give a later --to, or none to replay up to now.`,
    );
  }
}

async function subscriptionArnOf(
  ops: OperatorContext,
  topicArn: string,
  queueUrl: string,
  subscriber: string,
): Promise<string> {
  const Attributes = await queueAttributes(ops.clients.sqs, queueUrl, ['QueueArn']);
  let NextToken: string | undefined;
  do {
    const page = await ops.clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }));
    const found = page.Subscriptions?.find((s) => s.Endpoint === Attributes.QueueArn && s.Protocol === 'sqs');
    if (found?.SubscriptionArn) return found.SubscriptionArn;
    NextToken = page.NextToken;
  } while (NextToken);
  throw new ReplayRefusedError(
    `No SNS subscription of topic ${topicArn} delivers to the queue of '${subscriber}' (${Attributes.QueueArn}). Fix: deploy the stack again so the subscription exists.`,
  );
}

async function queued(ops: OperatorContext, queueUrl: string): Promise<number> {
  const attributes = await queueAttributes(ops.clients.sqs, queueUrl, [
    'ApproximateNumberOfMessages',
    'ApproximateNumberOfMessagesNotVisible',
  ]);
  return (
    Number(attributes.ApproximateNumberOfMessages ?? 0) + Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

/** Whether the subscription's policy (as SNS reports it, maybe reformatted) is the one set; unknown counts as ours. */
function samePolicy(reported: string | undefined, set: string): boolean {
  if (reported === undefined) return true;
  try {
    const [a, b] = [JSON.parse(reported) as Partial<ReplayPolicy>, JSON.parse(set) as ReplayPolicy];
    const at = (t: string | undefined) => (t === undefined ? undefined : Math.floor(Date.parse(t) / 1000));
    return at(a.StartingPoint) === at(b.StartingPoint) && at(a.EndingPoint) === at(b.EndingPoint);
  } catch {
    return true;
  }
}

/**
 * Follows a subscription's ReplayStatus until the replay its `policy` started completes or fails, or
 * `signal` aborts; returns the last status seen.
 */
export async function followReplay(
  ops: OperatorContext,
  subscriptionArn: string,
  policy: string,
  options: {
    readonly signal?: AbortSignal;
    readonly pollIntervalMs?: number;
    onStatus?(status: string): Promise<void>;
  },
): Promise<string> {
  let status: string = REPLAY_STATUSES.pending;
  while (!options.signal?.aborted) {
    const { Attributes = {} } = await ops.clients.sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }),
    );
    status = Attributes[REPLAY_STATUS_ATTRIBUTE] ?? status;
    await options.onStatus?.(status);
    // A status that ended before this policy was set (an earlier replay's) is not this replay's end.
    const ours = samePolicy(Attributes[REPLAY_POLICY_ATTRIBUTE], policy);
    if (ours && (status === REPLAY_STATUSES.completed || status === REPLAY_STATUSES.failed)) break;
    await sleep(options.pollIntervalMs ?? 250, options.signal);
  }
  return status;
}

/**
 * Replays a FIFO topic's archive to one subscriber (`fanout replay`): checks the topic archives, the
 * subscriber is its subscriber and the window lies in the archive, optionally clears the subscriber's
 * idempotency records of the window, sets the subscription's ReplayPolicy (an operator action on the
 * live subscription; the stack never declares one) and follows ReplayStatus until it completes.
 */
export async function replayFromArchive(
  ops: OperatorContext,
  options: ArchiveReplayOptions,
): Promise<ArchiveReplayResult> {
  const { topic, endpoint, topicArn } = replayable(ops, options);
  const { earliest, retentionDays } = await archiveWindow(ops, topicArn, topic.name);
  checkWindow(options, earliest, retentionDays, topic.name);
  const subscriptionArn = await subscriptionArnOf(ops, topicArn, endpoint.queueUrl, options.subscriber);
  let cleared: ClearedRecords | undefined;
  if (options.resetIdempotency && endpoint.endpoint.idempotencyRecords) {
    const dynamodb = options.dynamodb ?? new DynamoDBClient({});
    try {
      cleared = await clearWindowRecords(
        dynamodb,
        ops.target.topology.idempotencyTable,
        endpoint.endpoint,
        options.from,
        options.to,
      );
    } finally {
      if (!options.dynamodb) dynamodb.destroy();
    }
  }
  const policy = JSON.stringify(replayPolicy(options.from, options.to));
  await ops.clients.sns.send(
    new SetSubscriptionAttributesCommand({
      SubscriptionArn: subscriptionArn,
      AttributeName: REPLAY_POLICY_ATTRIBUTE,
      AttributeValue: policy,
    }),
  );
  const status = await followReplay(ops, subscriptionArn, policy, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    onStatus: async (status) => options.onProgress?.({ status, queued: await queued(ops, endpoint.queueUrl) }),
  });
  return { subscriptionArn, status, from: options.from, to: options.to, cleared };
}
