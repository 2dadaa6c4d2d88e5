import { writeFileSync } from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import Table from 'cli-table3';
import type { Topology } from '../../topology/index.ts';
import { formatDeadLetterFile } from '../../contracts/index.ts';
import { peekDeadLetters } from '../dlq-peek.ts';
import { pullDeadLetters } from '../dlq-pull.ts';
import { purgeDeadLetters } from '../dlq-purge.ts';
import { permanentFailures } from '../dlq-permanent.ts';
import { replayDeadLetters, type ReplayOptions } from '../dlq-replay.ts';
import { type DeadLetterSource, deadLetterQueues } from '../dlq-source.ts';
import { describePermanent, FanoutClientError } from '../errors.ts';
import { confirm, dim, operator, red, type TargetFlags } from './context.ts';

const PAYLOAD_PREVIEW_CHARS = 60;
const REASON_PREVIEW_CHARS = 100;
const preview = (text: string, max = PAYLOAD_PREVIEW_CHARS) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** `fanout dlq peek <subscriber> [--max N]`. */
export async function peekCommand(
  topology: Topology,
  subscriber: string,
  flags: TargetFlags & { readonly max: number; readonly json?: boolean; readonly subscription?: boolean },
): Promise<void> {
  const ops = await operator(topology, flags);
  const source: DeadLetterSource = flags.subscription ? 'subscription' : 'queue';
  try {
    const letters = await peekDeadLetters(ops, subscriber, flags.max, source);
    if (flags.json) {
      for (const letter of letters) console.log(JSON.stringify(letter));
      return;
    }
    const { deadLetterQueueUrl } = deadLetterQueues(ops, subscriber, source, 'peek');
    console.log(`${letters.length} message(s) shown from ${deadLetterQueueUrl} (still in the DLQ):`);
    if (letters.length === 0) return;
    const table = new Table({
      head: ['message id', 'sent', 'receives', 'group', 'event type', 'reason', 'payload'],
      style: { head: [], border: [] },
      wordWrap: true,
      colWidths: [null, null, null, null, null, 40, 40] as unknown as number[],
    });
    for (const l of letters) {
      const reason = l.reason
        ? red(preview(`${l.reason.kind}: ${l.reason.message}`, REASON_PREVIEW_CHARS))
        : dim(source === 'subscription' ? '(SNS could not deliver)' : '(redriven by SQS)');
      table.push([
        l.messageId.slice(0, 8),
        l.sentAt ?? '',
        l.receiveCount,
        l.groupId ?? dim('-'),
        l.eventType ?? dim('?'),
        reason,
        preview(l.payload),
      ]);
    }
    console.log(table.toString());
  } finally {
    ops.close();
  }
}

/** `fanout dlq pull <subscriber> [--out file] [--redact path]…`: dead letters with their whole envelope into a file; they stay in the DLQ. */
export async function pullCommand(
  topology: Topology,
  subscriber: string,
  flags: TargetFlags & {
    readonly out?: string;
    readonly max: number;
    readonly redact?: readonly string[];
    readonly subscription?: boolean;
  },
): Promise<void> {
  const ops = await operator(topology, flags);
  try {
    const { file, redactedCounts } = await pullDeadLetters(ops, subscriber, {
      max: flags.max,
      redact: flags.redact ?? [],
      source: flags.subscription ? 'subscription' : 'queue',
    });
    const out = flags.out ?? `${subscriber}.dead-letters.ndjson`;
    writeFileSync(out, formatDeadLetterFile(file));
    console.log(
      `Pulled ${file.header.count} dead letter(s) of '${subscriber}' from ${file.header.deadLetterQueueUrl} into ${out} (still in the DLQ).`,
    );
    const counts = Object.entries(redactedCounts);
    if (counts.length > 0)
      console.log(`Redacted: ${counts.map(([path, n]) => `${path} (in ${n} payload(s))`).join(', ')}.`);
    if (file.header.count > 0) console.log(`Next: npx fanout dlq reproduce ${out}`);
  } finally {
    ops.close();
  }
}

/** `fanout dlq replay <subscriber> [--max N] [--rate R] [--filter expr]`. */
export async function replayCommand(
  topology: Topology,
  subscriber: string,
  flags: TargetFlags & {
    readonly max?: number;
    readonly rate?: number;
    readonly filter?: string;
    readonly manual?: boolean;
    readonly subscription?: boolean;
    readonly force?: boolean;
  },
): Promise<void> {
  const ops = await operator(topology, flags);
  const source: DeadLetterSource = flags.subscription ? 'subscription' : 'queue';
  let force = flags.force ?? false;
  if (!force && process.stdin.isTTY) {
    const permanent = await permanentFailures(ops, subscriber, { ...flags, source }).catch((error: unknown) => {
      ops.close();
      throw error;
    });
    if (Object.keys(permanent).length > 0) {
      console.log(`These would fail again, a replay cannot fix them: ${describePermanent(permanent)}.`);
      force = await confirm('Replay them anyway?');
      if (!force) {
        ops.close();
        console.log('Nothing replayed.');
        return;
      }
    }
  }
  const bar = new SingleBar(
    { format: ' replay [{bar}] {value}/{total} moved', hideCursor: true },
    Presets.shades_classic,
  );
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  let started = false;
  try {
    const { queueUrl, deadLetterQueueUrl } = deadLetterQueues(ops, subscriber, source, 'replay');
    const options: ReplayOptions = {
      source,
      ...(flags.max !== undefined ? { max: flags.max } : {}),
      ...(flags.rate !== undefined ? { ratePerSecond: flags.rate } : {}),
      ...(flags.filter !== undefined ? { filter: flags.filter } : {}),
      method: flags.manual ? 'manual' : 'auto',
      force,
      signal: abort.signal,
      onProgress: ({ moved, total }) => {
        if (!started) bar.start(total ?? moved, 0);
        started = true;
        if (total === undefined || total < moved) bar.setTotal(moved);
        bar.update(moved);
      },
    };
    const result = await replayDeadLetters(ops, subscriber, options).finally(() => bar.stop());
    console.log(`Moved ${result.moved} message(s) from ${deadLetterQueueUrl} to ${queueUrl} (${result.method} move).`);
    if (result.skipped) console.log(`Left in the DLQ: ${result.skipped} not matching the filter.`);
    if (result.arrivedDuringReplay)
      console.log(
        `Left in the DLQ: ${result.arrivedDuringReplay} that arrived after the replay began (replayed messages failing again).`,
      );
    if (result.keptForOrder)
      console.log(`Left in the DLQ: ${result.keptForOrder} behind a message of the same FIFO group that stays.`);
    for (const f of result.failed) console.log(red(`Not moved (stays in the DLQ): ${f.messageId}: ${f.error}`));
    for (const f of result.copiedNotDeleted) {
      console.log(
        red(
          `Copied to the queue but not deleted from the DLQ (a later replay delivers it again): ${f.messageId}: ${f.error}`,
        ),
      );
    }
    for (const note of result.notes) console.log(dim(`note: ${note}`));
    if (result.failed.length || result.copiedNotDeleted.length) process.exitCode = 1;
  } finally {
    process.off('SIGINT', onSigint);
    ops.close();
  }
}

/** `fanout dlq purge <subscriber> [--subscription] [--yes]`: deletes the DLQ's messages after a confirmation. */
export async function purgeCommand(
  topology: Topology,
  subscriber: string,
  flags: TargetFlags & { readonly yes?: boolean; readonly subscription?: boolean },
): Promise<void> {
  const ops = await operator(topology, flags);
  const source: DeadLetterSource = flags.subscription ? 'subscription' : 'queue';
  try {
    const { deadLetterQueueUrl } = deadLetterQueues(ops, subscriber, source, 'purge');
    if (!flags.yes) {
      if (!process.stdin.isTTY)
        throw new FanoutClientError(
          `Purging the DLQ of '${subscriber}' deletes its messages for good, and there is no terminal to confirm on. Fix: pass --yes.`,
        );
      if (!(await confirm(`Delete every message in ${deadLetterQueueUrl}?`))) {
        console.log('Nothing purged.');
        return;
      }
    }
    const result = await purgeDeadLetters(ops, subscriber, { source });
    console.log(`Purged ${result.purged} message(s) from ${deadLetterQueueUrl}.`);
    if (result.arrivedDuringPurge)
      console.log(`Left in the DLQ: ${result.arrivedDuringPurge} that arrived after the purge began.`);
    for (const f of result.failed) console.log(red(`Not deleted (stays in the DLQ): ${f.messageId}: ${f.error}`));
    if (result.failed.length) process.exitCode = 1;
  } finally {
    ops.close();
  }
}
