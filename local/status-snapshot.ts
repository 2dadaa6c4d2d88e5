import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { LocalStatusSnapshot } from '../contracts/index.ts';
import type { AlarmStatus } from './alarms/evaluator.ts';
import type { QueueGauges } from './alarms/queue-sampler.ts';

/** `.fanout/local.json` → `<cwd>/.fanout/local.status.json`: the snapshot sits next to the registry file. */
export function statusFileFor(registryFile: string): string {
  const absolute = resolve(registryFile);
  return join(dirname(absolute), `${basename(absolute, extname(absolute))}.status.json`);
}

/** Queue samples come ~6 times a second at time scale 60; the file is rewritten at most this often for them. */
const SAMPLE_WRITE_INTERVAL_MS = 1000;

export interface StatusSnapshotSources {
  /** Every alarm's current state. */
  alarms(): readonly AlarmStatus[];
}

/**
 * Keeps a `LocalStatusSnapshot` file current for `fanout status` in other processes: the latest
 * age of oldest message per queue (virtual seconds, as CloudWatch would report) and every alarm's
 * state. Each write goes to a temporary file renamed over the snapshot, so a reader never sees half a file.
 */
export class StatusSnapshotWriter {
  readonly file: string;
  readonly #sources: StatusSnapshotSources;
  readonly #oldestAgeSeconds = new Map<string, number>();
  #closed = false;
  #lastWriteMs = 0;

  constructor(file: string, sources: StatusSnapshotSources) {
    this.file = resolve(file);
    this.#sources = sources;
  }

  /** Records a sample of every queue's gauges; rewrites the snapshot at most once a second for samples. */
  sampled(gauges: ReadonlyMap<string, QueueGauges>): void {
    for (const [queue, g] of gauges) this.#oldestAgeSeconds.set(queue, g.ageOfOldestSeconds);
    if (Date.now() - this.#lastWriteMs >= SAMPLE_WRITE_INTERVAL_MS) this.write();
  }

  /** Rewrites the snapshot now (alarm state changes) with the current alarm states and latest ages. */
  write(): void {
    if (this.#closed) return;
    this.#lastWriteMs = Date.now();
    const snapshot: LocalStatusSnapshot = {
      sampledAt: new Date().toISOString(),
      alarms: this.#sources.alarms().map((a) => ({ name: a.alarmName, state: a.state })),
      oldestAgeSeconds: Object.fromEntries(this.#oldestAgeSeconds),
    };
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(snapshot, null, 2)}\n`);
    renameSync(temporary, this.file);
  }

  /** Stops writing and removes the snapshot. */
  close(): void {
    this.#closed = true;
    rmSync(this.file, { force: true });
  }
}
