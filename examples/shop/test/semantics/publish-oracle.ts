import type { Publication } from './history.ts';
import type { Violation } from './oracle.ts';

export interface Rejection {
  readonly pub: Publication;
  readonly error: string;
}

/** What the publisher says when a message cannot fit whatever the claim-check does. */
const CANNOT_FIT = /cannot fit: its attributes alone are \d+ bytes/;
/** What it says of a FIFO message held behind one that failed for good. */
const HELD_BEHIND = /an earlier message of FIFO group '([^']+)' failed/;

/**
 * The publisher's promises: every publish settled (the world rejects one that did not, within its
 * deadline); one that cannot fit is refused, saying so; nothing else is refused, except a FIFO
 * message of the group of an earlier refused one, which must not overtake it (whether it would
 * have fitted or not: the group's order is checked first).
 */
export function checkPublishes(pubs: readonly Publication[], rejected: readonly Rejection[]): Violation[] {
  const violations: Violation[] = [];
  const flag = (detail: string) => violations.push({ guarantee: 'publish-settles', consumer: 'publisher', detail });
  const rejection = new Map(rejected.map((r) => [r.pub, r.error]));
  for (const pub of pubs) {
    const error = rejection.get(pub);
    const heldBehind =
      error !== undefined &&
      HELD_BEHIND.test(error) &&
      pubs.some(
        (q) => q.number < pub.number && q.accountId !== undefined && q.accountId === pub.accountId && rejection.has(q),
      );
    if (pub.oversized) {
      if (error === undefined) flag(`publish #${pub.number} resolved although an attribute alone is over the limit`);
      else if (!CANNOT_FIT.test(error) && !heldBehind)
        flag(`publish #${pub.number} (over the limit) was refused for another reason: ${error}`);
      continue;
    }
    if (error !== undefined && !heldBehind) flag(`publish #${pub.number} was refused: ${error}`);
  }
  return violations;
}
