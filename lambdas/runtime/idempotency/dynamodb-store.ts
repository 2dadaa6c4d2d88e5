import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { type ClaimCheckPointer, IDEMPOTENCY_RECORD, IDEMPOTENCY_STATUS } from '../../../contracts/runtime.ts';
import { IdempotencyStoreError } from '../errors.ts';
import type {
  AcquireRequest,
  AcquireResult,
  CompletedRecord,
  CompleteRequest,
  FencedWriteResult,
  HeldRecord,
  IdempotencyStore,
  KeptResult,
  ReleaseRequest,
} from './store.ts';

type Item = Record<string, AttributeValue>;

/** The record's attribute names (`id` is the table's partition key, `expiresAt` its TTL). */
const A = IDEMPOTENCY_RECORD;
const TAKEABLE_NAMES = {
  '#id': A.id,
  '#status': A.status,
  '#lease': A.leaseExpiresAt,
  '#expires': A.expiresAt,
  '#payload': A.payloadHash,
};

/**
 * A record may be (re)taken when absent, past its TTL (DynamoDB deletes lazily), or a lock of the
 * same payload (and, when both say one, the same producer key) whose lease ended: a lock of another
 * message is reported, never taken over.
 */
const TAKEABLE =
  'attribute_not_exists(#id) OR #expires < :nowSeconds OR ' +
  '(#status = :inProgress AND #lease < :nowMs AND (attribute_not_exists(#payload) OR #payload = :payload))';
const TAKEABLE_SAME_PRODUCER_KEY =
  'attribute_not_exists(#id) OR #expires < :nowSeconds OR ' +
  '(#status = :inProgress AND #lease < :nowMs AND (attribute_not_exists(#payload) OR #payload = :payload) ' +
  'AND (attribute_not_exists(#producerKey) OR #producerKey = :producerKey))';
const HELD_BY_ME = '#token = :token AND #status = :inProgress';

/** Idempotency records in one DynamoDB table (raw client: no document client in the bundle). */
export class DynamoDbIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
  ) {}

  async acquire(request: AcquireRequest): Promise<AcquireResult> {
    const existing = await this.tryPut(request);
    if (!existing) return { status: 'acquired' };
    const held = this.holderOf(existing, request);
    if (held) return held;
    // The condition failed on this very item: it cannot be takeable (same clock on both sides).
    throw new IdempotencyStoreError(
      `idempotency record '${request.key}' in table ${this.tableName} refused a takeable put`,
    );
  }

  async complete(request: CompleteRequest): Promise<FencedWriteResult> {
    const values: Item = {
      ':token': { S: request.token },
      ':inProgress': { S: IDEMPOTENCY_STATUS.inProgress },
      ':completed': { S: IDEMPOTENCY_STATUS.completed },
      ':expires': { N: String(request.expiresAtSeconds) },
    };
    const kept = Object.entries(keptResultAttributes(request.result));
    kept.forEach(([, value], i) => {
      values[`:kept${i}`] = value;
    });
    const setKept = kept.map((_, i) => `, #kept${i} = :kept${i}`).join('');
    return this.fenced(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { [A.id]: { S: request.key } },
        UpdateExpression: `SET #status = :completed, #expires = :expires${setKept} REMOVE #lease`,
        ConditionExpression: HELD_BY_ME,
        ExpressionAttributeNames: {
          '#status': A.status,
          '#token': A.leaseToken,
          '#lease': A.leaseExpiresAt,
          '#expires': A.expiresAt,
          ...Object.fromEntries(kept.map(([name], i) => [`#kept${i}`, name])),
        },
        ExpressionAttributeValues: values,
      }),
    );
  }

  async release(request: ReleaseRequest): Promise<FencedWriteResult> {
    return this.fenced(
      new DeleteItemCommand({
        TableName: this.tableName,
        Key: { [A.id]: { S: request.key } },
        ConditionExpression: HELD_BY_ME,
        ExpressionAttributeNames: { '#status': A.status, '#token': A.leaseToken },
        ExpressionAttributeValues: {
          ':token': { S: request.token },
          ':inProgress': { S: IDEMPOTENCY_STATUS.inProgress },
        },
      }),
    );
  }

  /**
   * A put creating the record completed, for a transaction with the message's staged writes: it
   * applies only where the record may be taken, and a cancellation returns the record that holds it.
   */
  completedRecordPut(record: CompletedRecord): NonNullable<TransactWriteItem['Put']> {
    return takeablePut(
      this.tableName,
      {
        [A.id]: { S: record.key },
        [A.status]: { S: IDEMPOTENCY_STATUS.completed },
        [A.expiresAt]: { N: String(record.expiresAtSeconds) },
        [A.payloadHash]: { S: record.fingerprint },
        ...(record.requester === undefined ? {} : { [A.requester]: { S: record.requester } }),
        ...(record.producerKey === undefined ? {} : { [A.producerKey]: { S: record.producerKey } }),
        ...keptResultAttributes(record.result),
        ...(record.publishedAtMs === undefined ? {} : { [A.publishedAt]: { N: String(record.publishedAtMs) } }),
      },
      record,
    );
  }

  /**
   * What holds the record `item` (returned with a refused put), or undefined when it turned out
   * takeable (changed between write and read).
   */
  holderOf(item: Item, request: Pick<AcquireRequest, 'nowMs' | 'fingerprint' | 'producerKey'>): HeldRecord | undefined {
    const status = item[A.status]?.S;
    if (status === undefined) return undefined;
    const expiresAt = Number(item[A.expiresAt]?.N ?? 0);
    if (expiresAt < Math.floor(request.nowMs / 1000)) return undefined;
    const identity = {
      ...(item[A.payloadHash]?.S === undefined ? {} : { fingerprint: item[A.payloadHash]!.S! }),
      ...(item[A.requester]?.S === undefined ? {} : { requester: item[A.requester]!.S! }),
      ...(item[A.producerKey]?.S === undefined ? {} : { producerKey: item[A.producerKey]!.S! }),
    };
    if (status === IDEMPOTENCY_STATUS.completed) {
      const result = keptResultOf(item);
      return result === undefined ? { status: 'completed', ...identity } : { status: 'completed', result, ...identity };
    }
    if (status === IDEMPOTENCY_STATUS.inProgress) {
      const lease = Number(item[A.leaseExpiresAt]?.N ?? 0);
      const samePayload =
        (identity.fingerprint === undefined || identity.fingerprint === request.fingerprint) &&
        (identity.producerKey === undefined ||
          request.producerKey === undefined ||
          identity.producerKey === request.producerKey);
      return lease < request.nowMs && samePayload
        ? undefined
        : { status: 'in-progress', leaseExpiresAtMs: lease, ...identity };
    }
    throw new IdempotencyStoreError(
      `idempotency record '${item[A.id]?.S}' in table ${this.tableName} has unknown status '${status}'`,
    );
  }

  /** Undefined when the lock was taken, else the item that holds it. */
  private async tryPut(request: AcquireRequest): Promise<Item | undefined> {
    try {
      await this.client.send(
        new PutItemCommand(
          takeablePut(
            this.tableName,
            {
              [A.id]: { S: request.key },
              [A.status]: { S: IDEMPOTENCY_STATUS.inProgress },
              [A.leaseToken]: { S: request.token },
              [A.leaseExpiresAt]: { N: String(request.leaseExpiresAtMs) },
              [A.expiresAt]: { N: String(request.expiresAtSeconds) },
              [A.payloadHash]: { S: request.fingerprint },
              ...(request.requester === undefined ? {} : { [A.requester]: { S: request.requester } }),
              ...(request.producerKey === undefined ? {} : { [A.producerKey]: { S: request.producerKey } }),
              ...(request.publishedAtMs === undefined ? {} : { [A.publishedAt]: { N: String(request.publishedAtMs) } }),
            },
            request,
          ),
        ),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // ReturnValuesOnConditionCheckFailure: the holder comes with the failure (one request).
      return error.Item ?? {};
    }
  }

  private async fenced(command: UpdateItemCommand | DeleteItemCommand): Promise<FencedWriteResult> {
    try {
      await this.client.send(command as UpdateItemCommand);
      return 'ok';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'lost';
      throw error;
    }
  }
}

/**
 * A put of a record that succeeds only where the record may be taken (TAKEABLE) and returns the
 * holder with a failure: the lease's acquire and the staged commit both write records this way.
 */
function takeablePut(tableName: string, item: Item, at: Pick<AcquireRequest, 'nowMs' | 'fingerprint' | 'producerKey'>) {
  const byProducerKey = at.producerKey !== undefined;
  return {
    TableName: tableName,
    Item: item,
    ConditionExpression: byProducerKey ? TAKEABLE_SAME_PRODUCER_KEY : TAKEABLE,
    ExpressionAttributeNames: byProducerKey ? { ...TAKEABLE_NAMES, '#producerKey': A.producerKey } : TAKEABLE_NAMES,
    ExpressionAttributeValues: {
      ':nowSeconds': { N: String(Math.floor(at.nowMs / 1000)) },
      ':nowMs': { N: String(at.nowMs) },
      ':inProgress': { S: IDEMPOTENCY_STATUS.inProgress },
      ':payload': { S: at.fingerprint },
      ...(byProducerKey ? { ':producerKey': { S: at.producerKey! } } : {}),
    },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
}

/** The attributes a record keeps its result in (none when there is no result). */
function keptResultAttributes(result: KeptResult | undefined): Item {
  if (result === undefined) return {};
  if ('json' in result) return { [A.result]: { S: result.json } };
  if ('claimCheck' in result) return { [A.resultClaimCheck]: { S: JSON.stringify(result.claimCheck) } };
  return { [A.resultNotKept]: { S: result.notKept } };
}

function keptResultOf(item: Item): KeptResult | undefined {
  const json = item[A.result]?.S;
  if (json !== undefined) return { json };
  const pointer = item[A.resultClaimCheck]?.S;
  if (pointer !== undefined) return { claimCheck: JSON.parse(pointer) as ClaimCheckPointer };
  const notKept = item[A.resultNotKept]?.S;
  return notKept === undefined ? undefined : { notKept };
}
