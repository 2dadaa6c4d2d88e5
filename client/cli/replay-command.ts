import { existsSync, readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Topology } from '../../topology/index.ts';
import { type LocalRegistry, REPLAY_STATUSES } from '../../contracts/index.ts';
import { replayFromArchive, ReplayRefusedError } from '../replay.ts';
import { registryPath } from '../stack-outputs.ts';
import { dim, operator, outputsSource, red, type TargetFlags } from './context.ts';

const RELATIVE = /^(\d+(?:\.\d+)?)(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** An ISO 8601 instant, or a time ago: `30m`, `2h`, `7d`. */
export function parseInstant(flag: string, value: string, now = Date.now()): Date {
  const relative = RELATIVE.exec(value);
  if (relative) return new Date(now - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]);
  const parsed = Date.parse(value);
  if (!Number.isFinite(parsed)) {
    throw new ReplayRefusedError(
      `${flag} '${value}' is not a time. Fix: give an ISO 8601 instant (2026-03-01T12:00:00Z) or a time ago (30m, 2h, 7d).`,
    );
  }
  return new Date(parsed);
}

/** The idempotency table's DynamoDB client: the local cloud's endpoint when the target is local. */
function dynamoClient(flags: TargetFlags): DynamoDBClient {
  const source = outputsSource(flags);
  const file = registryPath(flags.registry);
  if (source.kind === 'local-registry' && existsSync(file)) {
    const registry = JSON.parse(readFileSync(file, 'utf8')) as LocalRegistry;
    return new DynamoDBClient({
      region: registry.region,
      endpoint: registry.endpoints.dynamodb,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }
  return new DynamoDBClient(flags.region ? { region: flags.region } : {});
}

export const RESET_IDEMPOTENCY_NOTE =
  'Exactly-once during this replay: the cleared records no longer mark those messages as done, so each replayed message ' +
  'applies its effect again, once (the replay re-creates its record). Use it on a wiped or repaired table (rebuild) or with ' +
  'handlers whose writes are idempotent per message (recovery); on a table that still holds their effects, non-idempotent ' +
  "effects (the ledger's balance ADD) apply twice. Other copies of those messages arriving now (a DLQ replay) are not recognised as duplicates either.";

/** `fanout replay <topic> --subscriber <name> --from <time> [--to <time>] [--reset-idempotency]`. */
export async function archiveReplayCommand(
  topology: Topology,
  topic: string,
  flags: TargetFlags & {
    readonly subscriber: string;
    readonly from: string;
    readonly to?: string;
    readonly resetIdempotency?: boolean;
  },
): Promise<void> {
  const from = parseInstant('--from', flags.from);
  const to = flags.to === undefined ? undefined : parseInstant('--to', flags.to);
  const ops = await operator(topology, flags);
  const dynamodb = flags.resetIdempotency ? dynamoClient(flags) : undefined;
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  let last = '';
  try {
    console.log(
      `Replaying topic '${topic}' to '${flags.subscriber}': messages published ${from.toISOString()} – ${to?.toISOString() ?? 'now'}.`,
    );
    const result = await replayFromArchive(ops, {
      topic,
      subscriber: flags.subscriber,
      from,
      ...(to ? { to } : {}),
      ...(flags.resetIdempotency ? { resetIdempotency: true } : {}),
      ...(dynamodb ? { dynamodb } : {}),
      signal: abort.signal,
      onProgress: ({ status, queued }) => {
        const line = `  replay ${status}; ${queued} message(s) in the subscriber's queue`;
        if (line !== last) console.log(line);
        last = line;
      },
    });
    if (result.cleared) {
      const c = result.cleared;
      console.log(
        `Cleared ${c.deleted} idempotency record(s) of '${flags.subscriber}' in the window (kept ${c.outsideWindow} outside it, ${c.inProgress} in progress${c.byCompletionTime ? `; ${c.byCompletionTime} dated by completion time, having no publishedAt` : ''}).`,
      );
      console.log(dim(RESET_IDEMPOTENCY_NOTE));
    } else {
      console.log(
        dim(
          'Idempotency records kept: replayed messages the subscriber already processed are skipped as duplicates; only those it never completed (lost, dead-lettered) run. --reset-idempotency runs them all again.',
        ),
      );
    }
    if (result.status === REPLAY_STATUSES.completed)
      console.log(`Replay completed (${result.subscriptionArn}); the subscriber is processing what it delivered.`);
    else {
      console.log(
        red(
          `Replay ${abort.signal.aborted ? 'still running (stopped watching)' : result.status} (${result.subscriptionArn}).`,
        ),
      );
      process.exitCode = 1;
    }
  } finally {
    process.off('SIGINT', onSigint);
    dynamodb?.destroy();
    ops.close();
  }
}
