import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { RequestCall } from './history.ts';
import type { DeadLetterSeen } from './observations.ts';
import type { Violation } from './oracle.ts';

/** How a request settled: the answer it resolved with, or the error it rejected with. */
export interface RequestSeen {
  readonly call: RequestCall;
  readonly answer?: unknown;
  readonly error?: string;
}

/** A job's row in `job-results`: how often its result was stored, and the result. */
export interface JobRow {
  readonly runs: number;
  readonly result: string | undefined;
}

/** The answer a job must get, worked out here rather than by the handler under test. */
export function expectedAnswer(payload: RequestCall['payload']): { jobId: string; result: string } {
  const { jobId, kind, input } = payload;
  const words = input.split(/[ \t\n]+/).filter((w) => w.length > 0);
  const result =
    kind === 'word-count'
      ? String(words.length)
      : kind === 'checksum'
        ? createHash('sha256').update(input).digest('hex')
        : words.join(' ').toLowerCase();
  return { jobId, result };
}

const preview = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}… (${text.length} characters)` : text;
};

/** What the consumer answers a request that reuses a job's business key under another producer key. */
const KEY_REUSED =
  /IdempotencyKeyReusedError: idempotency key '[^']+' already belongs to the message with producer key/;

/**
 * One entry per request: a crash between the DLQ send and the delete of the original dead-letters
 * it again on redelivery, and both copies carry the request's producer key.
 */
function distinctRequests(letters: readonly DeadLetterSeen[]): DeadLetterSeen[] {
  const byKey = new Map<string, DeadLetterSeen>();
  const keyless: DeadLetterSeen[] = [];
  for (const d of letters) {
    if (d.key === undefined) keyless.push(d);
    else byKey.set(d.key, d);
  }
  return [...byKey.values(), ...keyless];
}

/**
 * Request/reply's promises: every request under the producer key that ran the job — the first and
 * every repeat — resolves with the job's answer (never `null`), large answers included; a request
 * under another producer key (a keyless repeat) is refused at once as key reuse, and dead-lettered;
 * each job runs once (its row's `runs` is 1 and holds the answer); nothing else is dead-lettered.
 */
export function checkRequests(
  seen: readonly RequestSeen[],
  rows: ReadonlyMap<string, JobRow>,
  deadLetters: readonly DeadLetterSeen[],
): Violation[] {
  const violations: Violation[] = [];
  const flag = (detail: string) => violations.push({ guarantee: 'request-reply', consumer: 'jobs', detail });
  let keyReused = 0;
  for (const { call, answer, error } of [...seen].sort((a, b) => a.call.number - b.call.number)) {
    const expected = expectedAnswer(call.payload);
    const answeredUnderAnotherKey = seen.some(
      (s) =>
        s.call.payload.jobId === call.payload.jobId &&
        s.error === undefined &&
        (s.call.key === undefined || s.call.key !== call.key),
    );
    if (error !== undefined && KEY_REUSED.test(error) && answeredUnderAnotherKey) keyReused++;
    else if (error !== undefined) flag(`request #${call.number} (${call.payload.jobId}) failed: ${error}`);
    else if (!isDeepStrictEqual(answer, expected))
      flag(
        `request #${call.number} (${call.payload.jobId}) resolved ${preview(answer)}, expected ${preview(expected)}`,
      );
  }
  for (const jobId of new Set(seen.map((s) => s.call.payload.jobId))) {
    const row = rows.get(jobId);
    const expected = expectedAnswer(seen.find((s) => s.call.payload.jobId === jobId)!.call.payload);
    if (row?.runs !== 1) flag(`job ${jobId} ran ${row?.runs ?? 0} times, expected once`);
    else if (row.result !== expected.result) flag(`job ${jobId} stored ${preview(row.result)}`);
  }
  const isReuse = (d: DeadLetterSeen) => d.reason?.kind === 'idempotency-key-reused';
  const reused = distinctRequests(deadLetters.filter(isReuse)).length;
  if (reused !== keyReused) flag(`${reused} request(s) dead-lettered as key reuse, ${keyReused} refused as such`);
  const others = distinctRequests(deadLetters.filter((d) => !isReuse(d)));
  if (others.length > 0)
    flag(`${others.length} request(s) dead-lettered: ${others.map((d) => d.reason?.kind ?? 'redriven').join(', ')}`);
  return violations;
}
