import type { DeadLetterReason } from '../../../../contracts/dead-letter.ts';
import type { Consumer } from './program.ts';

/** A message found in a consumer's DLQ, decoded back to what was published. */
export interface DeadLetterSeen {
  readonly eventType: string | undefined;
  readonly payload: unknown;
  /** The producer key the copy carries (kept through the DLQ): which publication it was. */
  readonly key: string | undefined;
  readonly reason: DeadLetterReason | undefined;
}

export interface AuditRow {
  readonly entryId: string;
  readonly arrival: number | undefined;
  readonly deliveries: number;
}

/**
 * What a history left behind: the business tables (the oracle) and the DLQs. Keyed by concrete
 * business ids of the history; tables are read after every queue was drained.
 */
export interface Observations {
  /** DLQ contents at the end, per consumer. */
  readonly deadLetters: ReadonlyMap<Consumer, readonly DeadLetterSeen[]>;
  /** Messages seen in a DLQ at any time (just before replays too), per consumer. */
  readonly everDeadLettered: ReadonlyMap<Consumer, readonly DeadLetterSeen[]>;
  readonly ledger: ReadonlyMap<string, { readonly balance: number; readonly entries: number }>;
  readonly audit: ReadonlyMap<string, readonly AuditRow[]>;
  /** Per orderId: reservation rows (one sku): quantity ever reserved, still held (status reserved), releases. */
  readonly reservations: ReadonlyMap<
    string,
    { readonly reserved: number; readonly held: number; readonly releases: number }
  >;
  /** Per emailId (`<orderId>#confirmation`, `<orderId>#shipped`): sends. */
  readonly emails: ReadonlyMap<string, number>;
  readonly picks: ReadonlySet<string>;
  /**
   * Consumers a crash killed during the history: a message whose last allowed delivery died is moved
   * by SQS's own redrive, which cannot carry the runtime's reason.
   */
  readonly crashed: ReadonlySet<Consumer>;
  /** Per order event type: how much the at-most-once counts grew during the history. */
  readonly countDeltas: ReadonlyMap<string, number>;
}
