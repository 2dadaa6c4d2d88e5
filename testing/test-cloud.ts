import { resolve } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  connectOperator,
  createPublisher,
  type DeadLetter,
  localConnection,
  type OperatorContext,
  peekDeadLetters,
  type Publisher,
} from '../client/index.ts';
import {
  endpointQueueUrls,
  type LocalCloud,
  type OutcomeCounts,
  startLocalCloud,
  waitUntilDrained,
} from '../local/index.ts';
import { OutcomeCounter, synthesizeIfStale } from '../local/internal.ts';
import type { Topology } from '../topology/index.ts';
import { stackName } from '../topology/internal.ts';
import { OUTPUT_KEYS } from '../contracts/index.ts';
import { NotSettledError, UnknownTableError } from './errors.ts';

export interface TestCloudOptions<T extends Topology> {
  /** The app's topology (the one its CDK code deploys). */
  readonly topology: T;
  /** The app's root: where `cdk synth` runs and cdk.out is. @default process.cwd() */
  readonly appDir?: string;
  /** @default 'dev' */
  readonly stage?: string;
  /** @default - `<topology name>-<stage>` */
  readonly stack?: string;
  /** @default 'cdk.out' in appDir */
  readonly assemblyDir?: string;
  /** Synthesize first when the assembly is older than the app's files. @default true */
  readonly synth?: boolean;
  /** Virtual seconds per real second for alarm periods and queue timers. @default 60 */
  readonly timeScale?: number;
}

/** The app's stack running on the local cloud, with what a test needs to drive and inspect it. */
export interface TestCloud<T extends Topology> {
  readonly cloud: LocalCloud;
  /** A publisher for the app's events, connected to this cloud (closed by `stop`). */
  readonly publisher: Publisher<T>;
  /** Waits until every endpoint's queue is empty and no batch is running; throws if `timeoutMs` passes first. */
  settled(timeoutMs?: number): Promise<void>;
  /** Record outcomes of a consumer so far (processed, duplicate, failed, dead-lettered, dropped…). */
  outcomes(consumer: string): OutcomeCounts;
  /** The consumer's dead letters with their reasons (they stay in its DLQ). */
  deadLetters(consumer: string, max?: number): Promise<DeadLetter[]>;
  /** Every item of one of the topology's tables, as plain objects. */
  items(table: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

const DEFAULT_SETTLE_MS = 30_000;

/**
 * Starts the app's synthesized stack on the local cloud (random ports, its own DynamoDB Local), for
 * one test file: `const app = await startTestCloud({ topology })` in `beforeAll`, `app.stop()` in `afterAll`.
 * Runner-agnostic: nothing here depends on vitest or any global.
 */
export async function startTestCloud<const T extends Topology>(options: TestCloudOptions<T>): Promise<TestCloud<T>> {
  const appDir = resolve(options.appDir ?? process.cwd());
  const stage = options.stage ?? 'dev';
  const assemblyDir = resolve(appDir, options.assemblyDir ?? 'cdk.out');
  if (options.synth ?? true) synthesizeIfStale(appDir, assemblyDir);
  const counter = new OutcomeCounter();
  const cloud = await startLocalCloud({
    assemblyDir,
    stackName: options.stack ?? stackName(options.topology.name, stage),
    timeScale: options.timeScale ?? 60,
    ports: { messaging: 0, dynamodb: 0 },
    onLog: counter.onLog,
  });
  const source = {
    kind: 'static' as const,
    outputs: cloud.outputs,
    connection: localConnection(cloud.endpoints.messaging, cloud.region),
  };
  let publisher: Publisher<T> | undefined;
  let operator: OperatorContext;
  try {
    publisher = await createPublisher({ topology: options.topology, target: source, stage });
    operator = await connectOperator({ topology: options.topology, source, stage });
  } catch (error) {
    await publisher?.close();
    await cloud.stop();
    throw error;
  }
  const queues = endpointQueueUrls(cloud);
  return {
    cloud,
    publisher,
    async settled(timeoutMs = DEFAULT_SETTLE_MS) {
      if (!(await waitUntilDrained(cloud, queues, timeoutMs))) throw new NotSettledError(timeoutMs);
    },
    outcomes: (consumer) => counter.counts(consumer),
    deadLetters: (consumer, max = 10) => peekDeadLetters(operator, consumer, max),
    async items(table) {
      const TableName = cloud.outputs[OUTPUT_KEYS.tableName(table)];
      if (!TableName) throw new UnknownTableError(table, options.topology.tables?.map((t) => t.name) ?? []);
      const items: Record<string, unknown>[] = [];
      let ExclusiveStartKey: Record<string, never> | undefined;
      do {
        const page = await cloud.clients.dynamodb.send(new ScanCommand({ TableName, ExclusiveStartKey }));
        for (const item of page.Items ?? []) items.push(unmarshall(item));
        ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
      } while (ExclusiveStartKey);
      return items;
    },
    async stop() {
      await publisher.close();
      operator.close();
      await cloud.stop();
    },
  };
}
