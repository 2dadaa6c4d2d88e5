import type { SnsAttributeValue } from '../event-patterns/sns-filter-policy.ts';
import type { ReplayStatusValue as ReplayStatus } from '../../contracts/index.ts';

/** One message as the topic archived it: what a replay re-delivers unchanged. */
export interface ArchivedMessage {
  readonly messageId: string;
  /** When the front received the publish (ms); the replayed envelope's `Timestamp`. */
  readonly publishedAt: number;
  readonly message: string;
  readonly subject: string | undefined;
  readonly attributes: Readonly<Record<string, SnsAttributeValue>>;
  readonly groupId: string;
  readonly deduplicationId: string | undefined;
}

export interface Replay {
  readonly subscriptionArn: string;
  readonly policy: string;
  status: ReplayStatus;
  delivered: number;
  failure?: string;
  done?: Promise<void>;
}

interface TopicArchive {
  retentionDays: number;
  policy: string;
  /** When archiving began (the policy was set): the earliest point a replay may start from. */
  readonly beginningAt: number;
  readonly messages: ArchivedMessage[];
}

const DAY_MS = 86_400_000;

/** Archived messages per topic (publish order) and the replay of each subscription: the archive's state in one place. */
export class ArchiveStore {
  readonly #topics = new Map<string, TopicArchive>();
  readonly #replays = new Map<string, Replay>();

  /** Starts (or updates the retention of) a topic's archive; an empty policy stops it and drops the messages. */
  setPolicy(topicArn: string, policy: string, now = Date.now()): void {
    if (!policy || policy === '{}') {
      this.#topics.delete(topicArn);
      return;
    }
    const retentionDays = Number((JSON.parse(policy) as { MessageRetentionPeriod?: unknown }).MessageRetentionPeriod);
    const existing = this.#topics.get(topicArn);
    if (existing) Object.assign(existing, { retentionDays, policy });
    else this.#topics.set(topicArn, { retentionDays, policy, beginningAt: now, messages: [] });
  }

  archive(topicArn: string): Readonly<TopicArchive> | undefined {
    const archive = this.#topics.get(topicArn);
    if (archive) this.#expire(archive);
    return archive;
  }

  record(topicArn: string, message: ArchivedMessage): void {
    this.#topics.get(topicArn)?.messages.push(message);
  }

  /** Archived messages published in [from, to], in publish order. */
  window(topicArn: string, from: number, to: number): ArchivedMessage[] {
    return (this.archive(topicArn)?.messages ?? []).filter((m) => m.publishedAt >= from && m.publishedAt <= to);
  }

  /** Earliest instant a replay can start from: archiving's start or the retention, whichever is later. */
  earliest(topicArn: string, now = Date.now()): number | undefined {
    const archive = this.archive(topicArn);
    return archive && Math.max(archive.beginningAt, now - archive.retentionDays * DAY_MS);
  }

  replay(subscriptionArn: string): Replay | undefined {
    return this.#replays.get(subscriptionArn);
  }

  setReplay(replay: Replay): void {
    this.#replays.set(replay.subscriptionArn, replay);
  }

  async settle(): Promise<void> {
    await Promise.all([...this.#replays.values()].map((r) => r.done));
  }

  #expire(archive: TopicArchive): void {
    const cutoff = Date.now() - archive.retentionDays * DAY_MS;
    while (archive.messages.length > 0 && archive.messages[0]!.publishedAt < cutoff) archive.messages.shift();
  }
}
