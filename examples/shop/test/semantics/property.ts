import fc from 'fast-check';
import type { Publication } from './history.ts';
import { check, formatViolations, type Violation } from './oracle.ts';
import type { Observations } from './observations.ts';
import type { Consumer, Program } from './program.ts';
import { checkPublishes, type Rejection } from './publish-oracle.ts';
import { checkRequests, type JobRow, type RequestSeen } from './request-oracle.ts';

export interface Judged {
  /** The publications the publisher accepted (the oracle's input). */
  readonly pubs: readonly Publication[];
  /** The ones it refused, with its error. */
  readonly rejected: readonly Rejection[];
  /** Request/reply calls and the rows of their jobs (end to end only). */
  readonly requests?: readonly RequestSeen[];
  readonly jobRows?: ReadonlyMap<string, JobRow>;
  readonly observations: Observations;
  readonly notes: readonly string[];
}

/** History tags (`h3-1a2b3c-`) make ids unique on a shared cloud; a report reads better without them. */
const withoutTags = (text: string) => text.replace(/\b[hr]\d+-[0-9a-f]{6}-/g, '');

/** Thrown by a history that broke a promise: the message is the report fast-check prints. */
export class BrokenPromiseError extends Error {
  override readonly name = 'BrokenPromiseError';
  constructor(
    readonly program: Program,
    readonly violations: readonly Violation[],
    notes: readonly string[],
  ) {
    super(
      withoutTags(
        `history broke ${violations.length} promise(s):${program.toString()}\n${formatViolations(violations)}${notes.length ? `\n  notes: ${notes.join('; ')}` : ''}`,
      ),
    );
  }
}

/** Every promise a history's run broke: the publisher's, the consumers', request/reply's. */
export function violationsOf(result: Judged, consumers: readonly Consumer[]): Violation[] {
  const all = [...result.pubs, ...result.rejected.map((r) => r.pub)].sort((a, b) => a.number - b.number);
  return [
    ...checkPublishes(all, result.rejected),
    ...check(result.pubs, result.observations, consumers),
    ...(result.requests?.length
      ? checkRequests(result.requests, result.jobRows ?? new Map(), result.observations.deadLetters.get('jobs') ?? [])
      : []),
  ];
}

/** Runs a program and throws a `BrokenPromiseError` when the oracle finds violations. */
export async function judge(
  program: Program,
  run: (p: Program) => Promise<Judged>,
  consumers: readonly Consumer[],
): Promise<readonly Violation[]> {
  const result = await run(program);
  const violations = violationsOf(result, consumers);
  if (violations.length) throw new BrokenPromiseError(program, violations, result.notes);
  return violations;
}

/** fast-check's run, reporting the shrunk history as a timeline with what it broke. */
export async function assertHistories(
  arbitrary: fc.Arbitrary<Program>,
  run: (p: Program) => Promise<Judged>,
  consumers: readonly Consumer[],
  options: { readonly numRuns: number; readonly seed?: number; readonly log?: (line: string) => void },
): Promise<{ readonly runs: number }> {
  let runs = 0;
  const property = fc.asyncProperty(arbitrary, async (program) => {
    runs++;
    await judge(program, run, consumers);
  });
  await fc.assert(property, {
    numRuns: options.numRuns,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    endOnFailure: false,
    reporter: (details) => {
      if (!details.failed) return;
      const error = details.errorInstance;
      const body = error instanceof BrokenPromiseError ? error.message : String(error);
      throw new Error(
        `Counterexample after ${details.numRuns} run(s), ${details.numShrinks} shrink(s) (seed ${details.seed}, path "${details.counterexamplePath}"):\n${body}`,
      );
    },
  });
  options.log?.(`${runs} histories run`);
  return { runs };
}
