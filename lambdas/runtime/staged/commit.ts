import {
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type AttributeValue,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { ConsumerConfigError, errorMessage } from '../errors.ts';
import type { CompletedRecord, HeldRecord } from '../idempotency/store.ts';
import { DYNAMODB_LIMITS } from '../limits.ts';
import type { OnConditionFailure, StagedWrite } from './stage.ts';

/**
 * The idempotency records a commit writes in its transactions, with the messages' staged writes
 * (DynamoDbIdempotencyStore on the idempotency table).
 */
export interface TransactionalRecords {
  readonly tableName: string;
  /** A put creating the record completed where it may be taken; a refusal returns the holder. */
  completedRecordPut(record: CompletedRecord): NonNullable<TransactWriteItem['Put']>;
  /** What holds the record a put was refused by, or undefined when it turned out takeable. */
  holderOf(item: Record<string, AttributeValue>, record: CompletedRecord): HeldRecord | undefined;
}

/** One message's commit: its record (none for at-least-once) and its staged writes. */
export interface CommitEntry {
  readonly record?: CompletedRecord;
  readonly writes: readonly StagedWrite[];
}

export type CommitResult =
  | { readonly kind: 'committed' }
  /** The record exists: a copy completed it (a duplicate) or holds it. */
  | { readonly kind: 'held'; readonly holder: HeldRecord }
  /** A staged write's own condition failed: nothing of the message was written. */
  | {
      readonly kind: 'condition-failed';
      readonly write: number;
      readonly onConditionFailure: OnConditionFailure;
      readonly reason: string;
    }
  /** The commit could not be made (throttling, network, conflicts past the attempts): retry the message. */
  | { readonly kind: 'failed'; readonly reason: string };

interface Packed {
  readonly entries: number[];
  readonly items: TransactWriteItem[];
  readonly bytes: number;
  readonly ids: Set<string>;
}

const sizeOf = (item: TransactWriteItem) => Buffer.byteLength(JSON.stringify(item), 'utf8');

/**
 * Commits staged writes with their idempotency records in as few `TransactWriteItems` calls as the
 * limits allow (100 items, 4 MB, no item twice: two messages touching one item — two payments of one
 * account — go into successive transactions). On a cancellation the per-item reasons tell duplicates
 * (their record exists) and failed conditions from innocent bystanders, which are retried.
 */
export class StagedCommitter {
  constructor(
    private readonly client: DynamoDBClient,
    /** @default - none: only commits without a record (at-least-once) */
    private readonly records: TransactionalRecords | undefined,
  ) {}

  private recordItem(record: CompletedRecord): TransactWriteItem {
    if (!this.records)
      throw new ConsumerConfigError('a staged commit with an idempotency record needs the idempotency table');
    return { Put: this.records.completedRecordPut(record) };
  }

  private itemsOf(entry: CommitEntry): { items: TransactWriteItem[]; ids: string[] } {
    const items = [...(entry.record ? [this.recordItem(entry.record)] : []), ...entry.writes.map((w) => w.item)];
    const ids = [
      ...(entry.record ? [`${this.records?.tableName}\n${entry.record.key}`] : []),
      ...entry.writes.flatMap((w) => (w.itemId ? [w.itemId] : [])),
    ];
    return { items, ids };
  }

  private pack(entries: readonly CommitEntry[], indexes: readonly number[]): Packed[] {
    const packs: Packed[] = [];
    for (const index of indexes) {
      const { items, ids } = this.itemsOf(entries[index]!);
      const bytes = items.reduce((sum, item) => sum + sizeOf(item), 0);
      const fits = (p: Packed) =>
        p.items.length + items.length <= DYNAMODB_LIMITS.transactItemsMax &&
        p.bytes + bytes <= DYNAMODB_LIMITS.transactBytesMax &&
        ids.every((id) => !p.ids.has(id));
      let pack = packs.find(fits);
      if (!pack) {
        pack = { entries: [], items: [], bytes: 0, ids: new Set() };
        packs.push(pack);
      }
      pack.entries.push(index);
      pack.items.push(...items);
      (pack as { bytes: number }).bytes += bytes;
      for (const id of ids) pack.ids.add(id);
    }
    return packs;
  }

  /** One result per entry, in order. */
  async commit(entries: readonly CommitEntry[]): Promise<CommitResult[]> {
    const results: (CommitResult | undefined)[] = entries.map((e) =>
      e.record || e.writes.length > 0 ? undefined : { kind: 'committed' },
    );
    const tooBig = (e: CommitEntry) => this.itemsOf(e).items.length > DYNAMODB_LIMITS.transactItemsMax;
    entries.forEach((e, i) => {
      if (!results[i] && tooBig(e))
        results[i] = {
          kind: 'failed',
          reason: `a message may stage at most ${DYNAMODB_LIMITS.transactItemsMax - 1} writes (one transaction with its record)`,
        };
    });
    let pending = entries.map((_, i) => i).filter((i) => !results[i]);
    let alone = false;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const retry: number[] = [];
      const packs = alone ? pending.map((i) => this.pack(entries, [i])[0]!) : this.pack(entries, pending);
      for (const pack of packs) {
        const outcome = await this.send(entries, pack);
        for (const [index, result] of outcome) {
          if (result === 'retry') retry.push(index);
          else results[index] = result;
        }
      }
      if (retry.length === 0) break;
      if (attempt >= DYNAMODB_LIMITS.transactAttemptsMax) {
        for (const i of retry) results[i] = { kind: 'failed', reason: `transaction conflicts on ${attempt} attempts` };
        break;
      }
      // A retried entry whose cancellation named no cause goes alone next time (e.g. two puts of one item).
      alone = attempt >= 2;
      pending = retry;
    }
    return results.map((r) => r ?? { kind: 'failed', reason: 'not committed' });
  }

  private async send(entries: readonly CommitEntry[], pack: Packed): Promise<Map<number, CommitResult | 'retry'>> {
    const out = new Map<number, CommitResult | 'retry'>();
    try {
      await this.client.send(new TransactWriteItemsCommand({ TransactItems: pack.items }));
      for (const i of pack.entries) out.set(i, { kind: 'committed' });
    } catch (error) {
      if (!(error instanceof TransactionCanceledException) || !error.CancellationReasons) {
        // DynamoDB refuses a transaction that names one item twice (two puts of it, which the packing
        // cannot see) as a ValidationException: the entries are tried again, apart in the end.
        if (error instanceof Error && error.name === 'ValidationException' && pack.entries.length > 1) {
          for (const i of pack.entries) out.set(i, 'retry');
          return out;
        }
        for (const i of pack.entries) out.set(i, { kind: 'failed', reason: `commit failed: ${errorMessage(error)}` });
        return out;
      }
      let offset = 0;
      for (const i of pack.entries) {
        const entry = entries[i]!;
        const count = (entry.record ? 1 : 0) + entry.writes.length;
        const reasons = error.CancellationReasons.slice(offset, offset + count);
        offset += count;
        out.set(i, this.explain(entry, reasons));
      }
    }
    return out;
  }

  private explain(
    entry: CommitEntry,
    reasons: readonly { Code?: string; Message?: string; Item?: Record<string, AttributeValue> }[],
  ): CommitResult | 'retry' {
    const failed = (r: { Code?: string } | undefined) => r?.Code === 'ConditionalCheckFailed';
    const first = entry.record ? 1 : 0;
    if (entry.record && failed(reasons[0])) {
      const holder = this.records!.holderOf(reasons[0]!.Item ?? {}, entry.record);
      return holder ? { kind: 'held', holder } : 'retry';
    }
    const write = reasons.slice(first).findIndex(failed);
    if (write >= 0) {
      return {
        kind: 'condition-failed',
        write,
        onConditionFailure: entry.writes[write]!.onConditionFailure,
        reason: reasons[first + write]!.Message ?? 'The conditional request failed',
      };
    }
    const other = reasons.find((r) => r.Code && r.Code !== 'None' && r.Code !== 'TransactionConflict');
    return other ? { kind: 'failed', reason: `commit failed: ${other.Code}: ${other.Message ?? ''}`.trim() } : 'retry';
  }
}
