import { isDeepStrictEqual } from 'node:util';
import { referenceTopology } from '../../topology.ts';
import { resolveTopology, type ResolvedEndpoint } from '../../../../topology/resolve.ts';
import { keySourcesOf } from '../../../../topology/key-sources.ts';
import type { Publication } from './history.ts';
import type { DeadLetterSeen, Observations } from './observations.ts';
import type { Consumer } from './program.ts';

export type Guarantee =
  | 'exactly-once'
  | 'at-least-once'
  | 'at-most-once'
  | 'fifo-order'
  | 'nothing-lost'
  | 'dead-letter-reason'
  | 'key-reuse'
  | 'filter'
  | 'publish-settles'
  | 'request-reply';

export interface Violation {
  readonly guarantee: Guarantee;
  /** Where it broke: a consumer, or the producer's publisher. */
  readonly consumer: Consumer | 'publisher';
  readonly detail: string;
}

const ENDPOINTS = new Map(resolveTopology(referenceTopology, 'dev').endpoints.map((e) => [e.name, e]));
const endpoint = (consumer: Consumer): ResolvedEndpoint => ENDPOINTS.get(consumer)!;
export const receives = (consumer: Consumer, pub: Publication) => endpoint(consumer).events.includes(pub.eventType);

/**
 * What makes publications one logical message at an endpoint, per its key sources (scoped by event
 * type): a payload field, else the producer key attribute — the caller's key, or the one the
 * publisher mints for each publish() — else nothing shared (each publish stands alone).
 */
function identity(e: ResolvedEndpoint, pub: Publication): string {
  for (const source of keySourcesOf(e, pub.eventType)) {
    if (typeof source === 'object' && 'field' in source) {
      const value = pub.payload[source.field];
      if (value !== undefined) return `${pub.eventType}|field:${String(value)}`;
    } else if (typeof source === 'object') {
      return `${pub.eventType}|key:${pub.key ?? `minted by publish #${pub.number}`}`;
    }
  }
  return `${pub.eventType}|publish #${pub.number}`;
}

const label = (p: Publication) =>
  `#${p.number} ${p.eventType} ${p.businessId}${p.accountId ? ` (${p.accountId}, ${String(p.payload.amountCents)}¢)` : ''}`;

/** The producer's key of a publication: the caller's, or the one the publisher minted for it. */
const producerKey = (p: Publication) => p.key ?? `minted by publish #${p.number}`;

/** Copies of one message: everything the producer said agrees (payload and producer key). */
const sameMessage = (a: Publication, b: Publication) =>
  isDeepStrictEqual(a.payload, b.payload) && producerKey(a) === producerKey(b);

/** An audit row's entryId: a refund is its own row (a payment may be refunded several times). */
export const auditEntryOf = (p: Publication) =>
  `${p.eventType}#${p.eventType === 'PaymentRefunded' ? String(p.payload.refundId) : p.businessId}`;

/**
 * The DLQ copies that are this publication: same event type and payload, and its key — the caller's,
 * or (for a key the publisher minted, which the history does not know) any key no other publication
 * of the history chose.
 */
function lettersOf(
  consumer: Consumer,
  pub: Publication,
  letters: ReadonlyMap<Consumer, readonly DeadLetterSeen[]>,
  chosenKeys: ReadonlySet<string>,
): DeadLetterSeen[] {
  const sameKey = (d: DeadLetterSeen) =>
    d.key === undefined || (pub.key !== undefined ? d.key === pub.key : !chosenKeys.has(d.key));
  return (letters.get(consumer) ?? []).filter(
    (d) => d.eventType === pub.eventType && isDeepStrictEqual(d.payload, pub.payload) && sameKey(d),
  );
}

class Checker {
  readonly violations: Violation[] = [];
  private readonly chosenKeys: ReadonlySet<string>;
  constructor(
    private readonly pubs: readonly Publication[],
    private readonly obs: Observations,
    /** Publications redriven after a crash that this judgement counts as applied (see `check`). */
    private readonly appliedThoughRedriven: ReadonlySet<Publication> = new Set(),
  ) {
    this.chosenKeys = new Set(pubs.flatMap((p) => (p.key === undefined ? [] : [p.key])));
  }

  /** Final DLQ entries attributed one to one: a copy is one publication's, never two's. */
  private assigned = new Map<Consumer, Map<Publication, DeadLetterSeen>>();

  private attribution(consumer: Consumer): Map<Publication, DeadLetterSeen> {
    let byPub = this.assigned.get(consumer);
    if (byPub) return byPub;
    byPub = new Map();
    const free = new Set(this.obs.deadLetters.get(consumer) ?? []);
    // Publications whose key the history chose first (their copies are unmistakable), then the others.
    const order = [...this.pubs.filter((p) => p.key !== undefined), ...this.pubs.filter((p) => p.key === undefined)];
    for (const pub of order) {
      const letter = lettersOf(consumer, pub, new Map([[consumer, [...free]]]), this.chosenKeys)[0];
      if (letter) {
        byPub.set(pub, letter);
        free.delete(letter);
      }
    }
    this.assigned.set(consumer, byPub);
    return byPub;
  }

  letters(
    consumer: Consumer,
    pub: Publication,
    letters?: ReadonlyMap<Consumer, readonly DeadLetterSeen[]>,
  ): DeadLetterSeen[] {
    if (letters) return lettersOf(consumer, pub, letters, this.chosenKeys);
    const letter = this.attribution(consumer).get(pub);
    return letter ? [letter] : [];
  }

  flag(guarantee: Guarantee, consumer: Consumer, detail: string): void {
    this.violations.push({ guarantee, consumer, detail });
  }

  /**
   * Dead-lettered: it has a DLQ copy, or — on FIFO, where copies with one key and payload share a
   * deduplication id and arrive once — its twin has.
   */
  dead(consumer: Consumer, pub: Publication): boolean {
    if (this.letters(consumer, pub).length > 0) return true;
    if (!endpoint(consumer).fifo || pub.key === undefined) return false;
    const twin = (q: Publication) =>
      q !== pub && q.key === pub.key && q.eventType === pub.eventType && isDeepStrictEqual(q.payload, pub.payload);
    return this.pubs.some((q) => twin(q) && this.letters(consumer, q).length > 0);
  }

  /**
   * In the DLQ only by SQS's redrive (no reason) after a crash: the last allowed delivery died, before
   * or after its effect committed, so the message took effect once or not at all.
   */
  redrivenAfterCrash(consumer: Consumer): Publication[] {
    if (!this.obs.crashed.has(consumer)) return [];
    return this.good(consumer).filter((p) => {
      const letters = this.letters(consumer, p);
      return letters.length > 0 && letters.every((l) => l.reason === undefined);
    });
  }

  good(consumer: Consumer): Publication[] {
    return this.pubs.filter((p) => !p.poison && receives(consumer, p));
  }

  /**
   * Exactly-once: one representative publication per payload variant that should have taken effect.
   * A key reused with a different payload: all variants but one must be dead-lettered as such.
   */
  applied(consumer: Consumer): Publication[] {
    const e = endpoint(consumer);
    const groups = new Map<string, Publication[][]>();
    for (const pub of this.good(consumer)) {
      const variants = groups.get(identity(e, pub)) ?? [];
      const same = variants.find((v) => sameMessage(v[0]!, pub));
      if (same) same.push(pub);
      else variants.push([pub]);
      groups.set(identity(e, pub), variants);
    }
    const applied: Publication[] = [];
    for (const [id, variants] of groups) {
      // A variant (copies of one message) takes effect once unless every copy that reached the queue
      // was dead-lettered. On FIFO, copies with one key (and so one deduplication id) arrive once.
      const arrived = (v: Publication[]) =>
        e.fifo ? new Set(v.map((p) => p.key ?? `minted by publish #${p.number}`)).size : v.length;
      const live = variants.filter(
        (v) =>
          new Set(v.flatMap((p) => this.letters(consumer, p))).size < arrived(v) ||
          v.some((p) => this.appliedThoughRedriven.has(p)),
      );
      // One key, several messages (payloads or producer keys): at most one of them may take effect
      // (whichever claimed the key first); every other is dead-lettered — as 'idempotency-key-reused'
      // once the key was taken, or for its own failure before that — never acknowledged as a duplicate.
      if (live.length > 1) {
        this.flag(
          'key-reuse',
          consumer,
          `${variants.map((v) => `${label(v[0]!)} [${producerKey(v[0]!)}]`).join(' and ')} share one key (${id}) but are different messages: expected at most one to take effect and the others dead-lettered, found ${live.length} not dead-lettered`,
        );
      }
      applied.push(...live.map((v) => v[0]!));
    }
    return applied;
  }

  poisonAndReasons(): void {
    for (const pub of this.pubs.filter((p) => p.poison)) {
      for (const consumer of ['inventory', 'email', 'warehouse', 'ledger', 'audit'] as const) {
        if (receives(consumer, pub) && !this.dead(consumer, pub))
          this.flag('nothing-lost', consumer, `poison ${label(pub)} is not in the ${consumer} DLQ`);
      }
    }
    for (const [consumer, letters] of this.obs.deadLetters) {
      // Only SQS's own redrive (the last allowed delivery died) moves a message without the runtime's reason.
      if (this.obs.crashed.has(consumer)) continue;
      for (const d of letters.filter((l) => !l.reason))
        this.flag(
          'dead-letter-reason',
          consumer,
          `a ${d.eventType ?? 'message'} in the DLQ carries no reason: ${JSON.stringify(d.payload).slice(0, 120)}`,
        );
    }
  }

  ledger(): void {
    const expected = new Map<string, { balance: number; entries: number; postings: string[] }>();
    for (const pub of this.applied('ledger')) {
      const account = expected.get(pub.accountId!) ?? { balance: 0, entries: 0, postings: [] };
      const sign = pub.eventType === 'PaymentRefunded' ? -1 : 1;
      account.balance += sign * Number(pub.payload.amountCents);
      account.entries += 1;
      account.postings.push(label(pub));
      expected.set(pub.accountId!, account);
    }
    const accounts = new Set([...expected.keys(), ...this.obs.ledger.keys()]);
    for (const account of accounts) {
      const want = expected.get(account) ?? { balance: 0, entries: 0, postings: [] };
      const got = this.obs.ledger.get(account) ?? { balance: 0, entries: 0 };
      if (want.balance !== got.balance || want.entries !== got.entries) {
        this.flag(
          'exactly-once',
          'ledger',
          `account ${account}: balance ${got.balance}¢ in ${got.entries} entries, expected ${want.balance}¢ in ${want.entries} (${want.postings.join('; ') || 'no postings'})`,
        );
      }
    }
  }

  inventory(): void {
    const applied = this.applied('inventory');
    const orders = new Set([...applied.map((p) => p.businessId), ...this.obs.reservations.keys()]);
    for (const order of orders) {
      const placed = applied.filter((p) => p.businessId === order && p.eventType === 'OrderPlaced');
      const cancels = applied.filter((p) => p.businessId === order && p.eventType === 'OrderCancelled');
      const reserved = placed.reduce((sum, p) => sum + (p.payload.items as { quantity: number }[])[0]!.quantity, 0);
      const got = this.obs.reservations.get(order) ?? { reserved: 0, held: 0, releases: 0 };
      const what = `${[...placed, ...cancels].map(label).join('; ') || 'nothing applied'}`;
      if (cancels.length === 0) {
        if (got.reserved !== reserved || got.held !== reserved || got.releases !== 0)
          this.flag(
            'exactly-once',
            'inventory',
            `order ${order}: reserved ${got.reserved} (held ${got.held}, released ${got.releases} time(s)), expected ${reserved} held and no release (${what})`,
          );
        continue;
      }
      // Cancelled, in whatever order the cancel and the placements arrived: nothing stays reserved;
      // placements before the cancel were reserved once and released once, later ones reserved nothing.
      const quantity = (p: Publication) => (p.payload.items as { quantity: number }[])[0]!.quantity;
      const [firstCancel, lastCancel] = [
        Math.min(...cancels.map((c) => c.phase)),
        Math.max(...cancels.map((c) => c.phase)),
      ];
      const least = placed.filter((p) => p.phase < firstCancel).reduce((sum, p) => sum + quantity(p), 0);
      const most = reserved - placed.filter((p) => p.phase > lastCancel).reduce((sum, p) => sum + quantity(p), 0);
      const sums = new Set([0]);
      for (const p of placed) for (const x of [...sums]) sums.add(x + quantity(p));
      const fits = sums.has(got.reserved) && got.reserved >= least && got.reserved <= most;
      if (got.held !== 0 || !fits || got.releases !== (got.reserved > 0 ? 1 : 0))
        this.flag(
          'exactly-once',
          'inventory',
          `order ${order} was cancelled: reserved ${got.reserved} (held ${got.held}, released ${got.releases} time(s)), expected nothing held, ${least}–${most} reserved by whole placements, released once if any (${what})`,
        );
    }
  }

  email(): void {
    const expected = new Map<string, Publication[]>();
    for (const pub of this.applied('email')) {
      const id = `${pub.businessId}#${pub.eventType === 'OrderPlaced' ? 'confirmation' : 'shipped'}`;
      expected.set(id, [...(expected.get(id) ?? []), pub]);
    }
    for (const id of new Set([...expected.keys(), ...this.obs.emails.keys()])) {
      const want = expected.get(id) ?? [];
      const got = this.obs.emails.get(id) ?? 0;
      if (got !== want.length)
        this.flag(
          'exactly-once',
          'email',
          `email ${id} sent ${got} time(s), expected ${want.length} (${want.map(label).join('; ') || 'none'})`,
        );
    }
  }

  warehouse(): void {
    const placed = this.good('warehouse');
    for (const order of new Set([...placed.map((p) => p.businessId), ...this.obs.picks])) {
      const mine = placed.filter((p) => p.businessId === order);
      if (mine.length === 0) this.flag('filter', 'warehouse', `order ${order} was picked but never placed`);
      else if (!this.obs.picks.has(order) && mine.some((p) => !this.dead('warehouse', p)))
        this.flag(
          'at-least-once',
          'warehouse',
          `order ${order} was never picked and not dead-lettered (${mine.map(label).join('; ')})`,
        );
    }
  }

  audit(): void {
    const pubs = this.good('audit');
    const ever = (p: Publication) =>
      this.dead('audit', p) || this.letters('audit', p, this.obs.everDeadLettered).length > 0;
    const row = (p: Publication) => (this.obs.audit.get(p.accountId!) ?? []).find((r) => r.entryId === auditEntryOf(p));
    for (const pub of pubs)
      if (!row(pub) && !this.dead('audit', pub))
        this.flag('at-least-once', 'audit', `${label(pub)} has no audit row and is not dead-lettered`);
    for (const account of new Set(pubs.map((p) => p.accountId!))) {
      const seen = new Set<string>();
      const inOrder = pubs.filter(
        (p) => p.accountId === account && !seen.has(auditEntryOf(p)) && seen.add(auditEntryOf(p)),
      );
      const ordered = inOrder.filter((p) => !ever(p) && row(p)?.arrival !== undefined);
      for (let i = 1; i < ordered.length; i++) {
        const [a, b] = [ordered[i - 1]!, ordered[i]!];
        if (row(b)!.arrival! <= row(a)!.arrival!) {
          this.flag(
            'fifo-order',
            'audit',
            `account ${account}: ${label(b)} was recorded at position ${row(b)!.arrival}, not after ${label(a)} (position ${row(a)!.arrival}), although published after it`,
          );
        }
      }
    }
  }

  analytics(): void {
    for (const type of ['OrderPlaced', 'OrderCancelled', 'OrderShipped']) {
      const published = this.good('analytics').filter((p) => p.eventType === type).length;
      const counted = this.obs.countDeltas.get(type) ?? 0;
      if (counted > published)
        this.flag(
          'at-most-once',
          'analytics',
          `${type} counted ${counted} time(s) for ${published} published message(s)`,
        );
    }
  }
}

/** Subsets of a few publications, smallest first (the empty one first). */
function subsets<T>(items: readonly T[]): T[][] {
  let all: T[][] = [[]];
  for (const item of items) all = [...all, ...all.map((s) => [...s, item])];
  return all.sort((a, b) => a.length - b.length);
}

/**
 * Every broken promise of the history, judged from the business tables and the DLQs. A message SQS
 * redrove after a crash may have taken effect or not: the history holds if one way of counting those
 * (at most a few per history) keeps every promise.
 */
export function check(pubs: readonly Publication[], obs: Observations, consumers: readonly Consumer[]): Violation[] {
  const judge = (appliedThoughRedriven: ReadonlySet<Publication>) => {
    const checker = new Checker(pubs, obs, appliedThoughRedriven);
    checker.poisonAndReasons();
    // jobs answers requests: its promises are judged from the replies (request-oracle.ts).
    for (const consumer of consumers) if (consumer !== 'jobs') checker[consumer]();
    return checker.violations.filter((v) => v.consumer === 'publisher' || consumers.includes(v.consumer));
  };
  const strict = judge(new Set());
  if (strict.length === 0) return strict;
  const probe = new Checker(pubs, obs);
  const uncertain = [...new Set(consumers.flatMap((c) => (c === 'jobs' ? [] : probe.redrivenAfterCrash(c))))];
  for (const counted of subsets(uncertain.slice(0, 6)).slice(1)) {
    if (judge(new Set(counted)).length === 0) return [];
  }
  return strict;
}

export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `  ✗ ${v.guarantee} at ${v.consumer}: ${v.detail}`).join('\n');
}
