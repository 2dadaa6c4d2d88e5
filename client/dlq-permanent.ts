import type { SQSClient } from '@aws-sdk/client-sqs';
import { CLAIM_CHECK, decodeDeadLetterReason, PERMANENT_DEAD_LETTER_KINDS } from '../contracts/index.ts';
import { holdMessages } from './dlq-peek.ts';
import { type DeadLetterSource, deadLetterQueues } from './dlq-source.ts';
import { parseFilter } from './message-filter.ts';
import type { OperatorContext } from './operator.ts';
import { releaseMessages, viewMessage } from './sqs-util.ts';

/** Most DLQ messages read to look for permanent failures before a replay. */
const PERMANENT_SCAN_MAX = 10_000;

/** What a replay would move: the messages matching `filter`, the first `max` of them. */
export interface ReplaySelection {
  readonly filter?: string;
  readonly max?: number;
}

/**
 * Messages per permanent dead-letter reason kind (`PERMANENT_DEAD_LETTER_KINDS`) among those a
 * replay of `subscriber`'s DLQ `source` would move, read with a hold and released at once.
 */
export async function permanentFailures(
  ctx: OperatorContext,
  subscriber: string,
  opts: ReplaySelection & { readonly source?: DeadLetterSource } = {},
): Promise<Record<string, number>> {
  const { deadLetterQueueUrl } = deadLetterQueues(ctx, subscriber, opts.source ?? 'queue', 'replay');
  return (await scanDeadLetters(ctx.clients.sqs, deadLetterQueueUrl, opts)).permanent;
}

/** What a replay needs to know of the messages it would move before it moves any. */
export interface DeadLetterScan {
  /** Messages per permanent dead-letter reason kind. */
  readonly permanent: Record<string, number>;
  /** Messages whose payload is claim-checked (each payload must be renewed before it moves). */
  readonly claimChecked: number;
  /** Every message was read (fewer than the scan's maximum were there to read). */
  readonly complete: boolean;
}

/** Reads the DLQ at `dlqUrl` with a hold (released at once): its permanent failures and claim-checked messages. */
export async function scanDeadLetters(sqs: SQSClient, dlqUrl: string, opts: ReplaySelection): Promise<DeadLetterScan> {
  const matches = opts.filter ? parseFilter(opts.filter) : () => true;
  const held = await holdMessages(sqs, dlqUrl, PERMANENT_SCAN_MAX);
  const counts: Record<string, number> = {};
  let claimChecked = 0;
  try {
    let candidates = 0;
    for (const m of held) {
      const view = viewMessage(m);
      if (!matches(view)) continue;
      if (++candidates > (opts.max ?? Infinity)) break;
      const kind = decodeDeadLetterReason(view.attributes)?.kind;
      if (kind && kind in PERMANENT_DEAD_LETTER_KINDS) counts[kind] = (counts[kind] ?? 0) + 1;
      if (view.attributes[CLAIM_CHECK.attribute] !== undefined) claimChecked++;
    }
  } finally {
    await releaseMessages(sqs, dlqUrl, held);
  }
  return { permanent: counts, claimChecked, complete: held.length < PERMANENT_SCAN_MAX };
}
