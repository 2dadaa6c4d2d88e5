import type { SQSClient } from '@aws-sdk/client-sqs';
import type { FetchObject } from '../../contracts/runtime.ts';
import { s3Objects, type StoreObject } from './claim-check.ts';
import { dynamo, loadS3, loadSqs } from './clients.ts';
import type { ConsumerConfig } from './config.ts';
import type { ConsumerDependencies } from './definition.ts';
import { DynamoDbIdempotencyStore } from './idempotency/dynamodb-store.ts';
import type { IdempotencyStore } from './idempotency/store.ts';
import { StagedCommitter } from './staged/commit.ts';
import { stdoutSink, type LogSink } from './telemetry/log.ts';

/** What a consumer keeps for its container's life: what it talks to, and when it last checked its depth. */
export interface ConsumerEnvironment {
  readonly store: IdempotencyStore | undefined;
  /** Commits staged writes (`effects: 'staged'`). @default - none */
  readonly committer: StagedCommitter | undefined;
  /** The SQS client, created on first use (only DLQ sends, deferrals, claims and shedding need it). */
  readonly sqs: () => Promise<SQSClient>;
  readonly fetchObject: FetchObject;
  readonly storeObject: StoreObject;
  readonly sink: LogSink;
  readonly now: () => number;
  /** When this consumer last checked its queue's depth for shedding. */
  readonly shedding: { lastCheckMs?: number };
}

/** The given dependencies, the rest created with the default clients (each on first use). */
export function consumerEnvironment(
  config: ConsumerConfig,
  staged: boolean,
  dependencies: ConsumerDependencies,
): ConsumerEnvironment {
  const usesStore = config.idempotencyTable !== undefined || dependencies.store;
  const objects = s3Objects(once(() => loadS3().then(({ S3Client }) => new S3Client({}))));
  return {
    store: usesStore
      ? (dependencies.store ?? new DynamoDbIdempotencyStore(dynamo(), config.idempotencyTable!))
      : undefined,
    committer: staged ? stagedCommitter(config, dependencies) : undefined,
    sqs: dependencies.sqs
      ? async () => dependencies.sqs!
      : // Calls go to the configured SQS endpoint, never to the host a queue URL names (a reply's URL
        // comes from a message).
        once(() => loadSqs().then(({ SQSClient }) => new SQSClient({ useQueueUrlAsEndpoint: false }))),
    fetchObject: dependencies.fetchObject ?? objects.fetchObject,
    storeObject: dependencies.storeObject ?? objects.storeObject,
    sink: dependencies.sink ?? stdoutSink,
    now: dependencies.now ?? Date.now,
    shedding: {},
  };
}

/** A client made on first use, then the same one. */
function once<T>(create: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= create();
    return made;
  };
}

/** Commits staged writes, with their records in the idempotency table, on one DynamoDB client. */
function stagedCommitter(config: ConsumerConfig, dependencies: ConsumerDependencies): StagedCommitter {
  const client = dependencies.dynamodb ?? dynamo();
  const table = config.idempotencyTable;
  return new StagedCommitter(client, table ? new DynamoDbIdempotencyStore(client, table) : undefined);
}
