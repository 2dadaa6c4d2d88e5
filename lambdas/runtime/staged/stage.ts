import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { StageUnavailableError } from '../errors.ts';

type Item = Record<string, AttributeValue>;
type Expressions = {
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Item;
};

/** What a failed condition of a staged write means: try again later, or never (straight to the DLQ). */
export type OnConditionFailure = 'retry' | 'permanent';

export interface StageOptions {
  /**
   * When this write's own condition fails at commit.
   * @default 'retry' - the message is retried (and dead-lettered after maxReceiveCount)
   */
  readonly onConditionFailure?: OnConditionFailure;
}

/** One staged write, as it goes into TransactWriteItems, with what its condition failing means. */
export interface StagedWrite {
  readonly item: TransactWriteItem;
  readonly onConditionFailure: OnConditionFailure;
  /** `table` + key, when the write names its key (update, delete, condition check): what "the same item" is. */
  readonly itemId: string | undefined;
}

/**
 * The writes a handler stages instead of sending (`ctx.stage`). The runtime commits them in one
 * DynamoDB transaction together with the message's idempotency record, so the effect and "this
 * message is done" happen together or not at all. Reads stay ordinary reads: guard a decision
 * taken on a read with a condition on the write (e.g. `attribute_not_exists(pk)` or `version = :read`).
 */
export interface Stage {
  put(input: { readonly TableName: string; readonly Item: Item } & Expressions, options?: StageOptions): void;
  update(
    input: { readonly TableName: string; readonly Key: Item; readonly UpdateExpression: string } & Expressions,
    options?: StageOptions,
  ): void;
  delete(input: { readonly TableName: string; readonly Key: Item } & Expressions, options?: StageOptions): void;
  conditionCheck(
    input: { readonly TableName: string; readonly Key: Item; readonly ConditionExpression: string } & Omit<
      Expressions,
      'ConditionExpression'
    >,
    options?: StageOptions,
  ): void;
}

const itemId = (table: string, key: Item) =>
  `${table}\n${JSON.stringify(Object.entries(key).sort(([a], [b]) => a.localeCompare(b)))}`;

export class StagedWrites implements Stage {
  readonly writes: StagedWrite[] = [];

  private add(item: TransactWriteItem, id: string | undefined, options: StageOptions | undefined): void {
    this.writes.push({ item, itemId: id, onConditionFailure: options?.onConditionFailure ?? 'retry' });
  }

  put(input: Parameters<Stage['put']>[0], options?: StageOptions): void {
    this.add({ Put: { ...input } }, undefined, options);
  }

  update(input: Parameters<Stage['update']>[0], options?: StageOptions): void {
    this.add({ Update: { ...input } }, itemId(input.TableName, input.Key), options);
  }

  delete(input: Parameters<Stage['delete']>[0], options?: StageOptions): void {
    this.add({ Delete: { ...input } }, itemId(input.TableName, input.Key), options);
  }

  conditionCheck(input: Parameters<Stage['conditionCheck']>[0], options?: StageOptions): void {
    this.add({ ConditionCheck: { ...input } }, itemId(input.TableName, input.Key), options);
  }
}

/**
 * The `ctx.stage` of a consumer whose effects are not declared staged: using it is a mistake the
 * handler's author must hear about at once (the writes would otherwise never commit).
 */
export function noStage(consumer: string): Stage {
  const refuse = (): never => {
    throw new StageUnavailableError(
      `ctx.stage is only for consumers whose effects are all staged DynamoDB writes; consumer '${consumer}' is not. ` +
        "Fix: declare defineConsumer({ effects: 'staged', ... }) if every effect is a staged write, or write directly",
    );
  };
  return { put: refuse, update: refuse, delete: refuse, conditionCheck: refuse };
}
