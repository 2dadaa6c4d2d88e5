import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import type { GenericSchema, InferOutput } from 'valibot';
import type { FetchObject } from '../../contracts/runtime.ts';
import type { StoreObject } from './claim-check.ts';
import type { ConsumerConfig } from './config.ts';
import type { BatchCopy } from './idempotency/batch-copies.ts';
import type { IdempotencyStore } from './idempotency/store.ts';
import type { GroupCommit } from './staged/group-commit.ts';
import type { Stage } from './staged/stage.ts';
import type { LogSink } from './telemetry/log.ts';

export type Schemas = Record<string, GenericSchema>;

/** What a handler knows about the record besides its typed payload. */
export interface RecordContext {
  readonly eventType: string;
  readonly messageId: string;
  /** The producer's `correlationId` attribute. @default - none */
  readonly correlationId?: string;
  /** How often SQS has delivered this message (1 on the first delivery). */
  readonly receiveCount: number;
  /** The scoped idempotency key (exactly-once endpoints). @default - none */
  readonly idempotencyKey?: string;
  /**
   * FIFO queues: SQS's sequence number of the message, increasing within its message group and the
   * same on every redelivery (a handler with direct writes can fence them with it).
   * @default - none (standard queues)
   */
  readonly sequenceNumber?: string;
  /** String message attributes the producer set. */
  readonly attributes: Readonly<Record<string, string>>;
  /**
   * Staged DynamoDB writes, committed by the runtime in one transaction with the message's
   * idempotency record (consumers defined with `effects: 'staged'`; elsewhere using it throws).
   */
  readonly stage: Stage;
  readonly lambda: Context;
  /** Writes one structured line tagged with consumer, messageId and correlationId. */
  log(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export type EventHandler<T> = (payload: T, ctx: RecordContext) => Promise<unknown>;

export interface ConsumerDefinition<S extends Schemas> {
  /** Event types this consumer handles, with their schemas. */
  readonly events: S;
  /** One function per event type, given the validated payload; its return value is the stored result. */
  readonly handlers: { readonly [K in keyof S]: EventHandler<InferOutput<S[K]>> };
  /**
   * What the handlers' effects are.
   * - `staged`: only writes staged through `ctx.stage`. The runtime commits them with the message's
   *   idempotency record in one DynamoDB transaction (several messages per transaction): exactly
   *   once across crashes, no lease, one round trip per batch on the normal path.
   * - `external`: anything (an email API, direct DynamoDB writes). A fenced lease guards the handler;
   *   an effect is repeated only if the process dies between the effect and the completion.
   * @default 'external'
   */
  readonly effects?: 'staged' | 'external';
}

/** Everything the runtime talks to, injectable so tests and benchmarks can count or fail calls. */
export interface ConsumerDependencies {
  /** @default - DynamoDB store on the config's idempotency table, default client */
  readonly store?: IdempotencyStore;
  /** @default - default SQS client */
  readonly sqs?: SQSClient;
  /** Commits staged writes (`effects: 'staged'`). @default - default DynamoDB client */
  readonly dynamodb?: DynamoDBClient;
  /** Reads claim-check payloads. @default - S3 GetObject with the default client */
  readonly fetchObject?: FetchObject;
  /** Stores replies too large for a message (request/reply). @default - S3 PutObject with the default client */
  readonly storeObject?: StoreObject;
  /** @default - stdout */
  readonly sink?: LogSink;
  /** @default Date.now */
  readonly now?: () => number;
}

/** One invocation's view of the consumer, shared by every record of its batch. */
export interface InvocationScope {
  readonly definition: ConsumerDefinition<Schemas>;
  readonly config: ConsumerConfig;
  readonly store: IdempotencyStore | undefined;
  /** The SQS client, loaded on first use (only DLQ sends, deferrals and shedding need it). */
  readonly sqs: () => Promise<SQSClient>;
  readonly fetchObject: FetchObject;
  readonly storeObject: StoreObject;
  readonly sink: LogSink;
  readonly now: () => number;
  readonly lambda: Context;
  /** Epoch ms the invocation ends at. */
  readonly deadlineMs: number;
  /** No record starts when less than this remains before the deadline. */
  readonly marginMs: number;
  /** Group commit of the batch's staged writes (consumers with `effects: 'staged'`). @default - none */
  readonly commits?: GroupCommit;
  /** Per idempotency key in this batch: resolves once an earlier copy settled (took effect or not). */
  readonly keysInBatch: Map<string, Promise<BatchCopy>>;
}
