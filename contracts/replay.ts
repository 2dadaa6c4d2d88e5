/**
 * SNS message archive and replay: the names the stack, the CLI (client/replay*.ts) and the local
 * cloud's archive (local/sns-archive) share. One definition each.
 */

/** Subscription attribute that starts a replay (SetSubscriptionAttributes; never in the stack's template). */
export const REPLAY_POLICY_ATTRIBUTE = 'ReplayPolicy';
/** Read-only subscription attribute with the replay's progress. */
export const REPLAY_STATUS_ATTRIBUTE = 'ReplayStatus';
/** Topic attributes: the archive's retention (`{"MessageRetentionPeriod":"<days>"}`) and when archiving began. */
export const ARCHIVE_POLICY_ATTRIBUTE = 'ArchivePolicy';
export const BEGINNING_ARCHIVE_TIME_ATTRIBUTE = 'BeginningArchiveTime';
/** Field of the SNS envelope that marks a replayed message (`"Replayed": true`). */
export const REPLAYED_FIELD = 'Replayed';

/** `ReplayStatus` values SNS reports. */
export const REPLAY_STATUSES = {
  pending: 'Pending',
  running: 'In progress',
  completed: 'Completed',
  failed: 'Failed',
} as const;
export type ReplayStatusValue = (typeof REPLAY_STATUSES)[keyof typeof REPLAY_STATUSES];

/** A subscription's replay policy (the value of `ReplayPolicy`). */
export interface ReplayPolicy {
  readonly PointType: 'Timestamp';
  /** ISO 8601 instant: replay messages published at or after it. */
  readonly StartingPoint: string;
  /** ISO 8601 instant: replay messages published up to it. @default - up to the moment the replay starts */
  readonly EndingPoint?: string;
}

export function replayPolicy(from: Date, to?: Date): ReplayPolicy {
  return {
    PointType: 'Timestamp',
    StartingPoint: from.toISOString(),
    ...(to ? { EndingPoint: to.toISOString() } : {}),
  };
}
