import type { CommitEntry, CommitResult, StagedCommitter } from './commit.ts';

interface Waiting {
  readonly entry: CommitEntry;
  readonly resolve: (result: CommitResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for one invocation: every record being processed either submits its staged commit
 * or finishes without one, and once all of them have submitted, their commits go out together —
 * one round trip for a whole batch instead of one per message. A record waiting on something only
 * another record's commit can settle (an earlier copy of its key) parks, so it never blocks the group.
 */
export class GroupCommit {
  private active = 0;
  private readonly waiting: Waiting[] = [];
  private checkScheduled = false;

  constructor(private readonly committer: StagedCommitter) {}

  enter(): void {
    this.active++;
  }

  leave(): void {
    this.active--;
    this.scheduleCheck();
  }

  async park<T>(until: Promise<T>): Promise<T> {
    this.leave();
    try {
      return await until;
    } finally {
      this.enter();
    }
  }

  submit(entry: CommitEntry): Promise<CommitResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ entry, resolve, reject });
      this.scheduleCheck();
    });
  }

  /** Checked on the next turn, so records that are about to start or submit are counted first. */
  private scheduleCheck(): void {
    if (this.checkScheduled) return;
    this.checkScheduled = true;
    setImmediate(() => {
      this.checkScheduled = false;
      if (this.waiting.length > 0 && this.waiting.length >= this.active) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const group = this.waiting.splice(0);
    try {
      const results = await this.committer.commit(group.map((w) => w.entry));
      for (const [i, w] of group.entries()) w.resolve(results[i]!);
    } catch (error) {
      for (const w of group) w.reject(error);
    }
  }
}
