import { randomUUID } from 'node:crypto';
import { PublishCommand } from '@aws-sdk/client-sns';
import { createClients, localConnection, type AwsClients } from '../../../../client/connection.ts';
import { peekDeadLetters } from '../../../../client/dlq-peek.ts';
import { replayDeadLetters } from '../../../../client/dlq-replay.ts';
import { connectOperator, type OperatorContext } from '../../../../client/operator.ts';
import { createPublisher, type Publisher } from '../../../../client/publisher.ts';
import { backlog } from '../../../../local/demo/settle.ts';
import type { LocalCloud } from '../../../../local/index.ts';
import { fifoDeduplicationId } from '../../../../contracts/message-identity.ts';
import { DEFAULT_PRODUCER_KEY_ATTRIBUTE } from '../../../../topology/defaults.ts';
import { OUTPUT_KEYS } from '../../../../contracts/outputs.ts';
import { referenceTopology } from '../../topology.ts';
import type { Topology } from '../../../../topology/types.ts';
import { startShopCloud } from '../local/shop-cloud.ts';
import { waitFor } from '../../../../test/support/local-cloud.ts';
import { drainDeadLetters } from './dead-letters.ts';
import type { Publication } from './history.ts';
import { publications, requestCalls } from './history.ts';
import { loseResponses } from './lost-responses.ts';
import type { DeadLetterSeen, Observations } from './observations.ts';
import type { Consumer, Program, ReplayStep } from './program.ts';
import { readCounts, readJobRows, readTables } from './read-tables.ts';
import type { JobRow, RequestSeen } from './request-oracle.ts';

/** Over SNS's 256 KiB in one attribute: no claim-check can make such a message fit. */
const OVERSIZED_ATTRIBUTE_CHARS = 300_000;
/** A publish settles (resolves or rejects) well within this, whatever its input. */
const PUBLISH_DEADLINE_MS = 60_000;

/** The promise, or a rejection saying it did not settle within `ms`. */
async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export const CLOUD_CONSUMERS: readonly Consumer[] = [
  'inventory',
  'email',
  'warehouse',
  'analytics',
  'ledger',
  'audit',
  'jobs',
];
/** Past a redelivery after a crash (the visibility timeout, 12 s with the quick timeouts) with room to spare. */
const REQUEST_TIMEOUT_MS = 60_000;

/**
 * The reference topology with 2 s function timeouts: a redelivery after a crash or a retryable
 * failure waits for the visibility timeout (6 × the function timeout), 12 s instead of 180 s.
 */
export function quickTimeouts(topology: Topology): Topology {
  return {
    ...topology,
    topics: topology.topics.map((t) => ({
      ...t,
      subscriptions: t.subscriptions.map((s) => ({ ...s, consumer: { ...s.consumer, timeoutSeconds: 2 } })),
    })),
    workQueues: topology.workQueues?.map((q) => ({ ...q, consumer: { ...q.consumer, timeoutSeconds: 2 } })),
  };
}

export interface HistoryRun {
  readonly pubs: readonly Publication[];
  readonly rejected: readonly { readonly pub: Publication; readonly error: string }[];
  readonly requests: readonly RequestSeen[];
  readonly jobRows: ReadonlyMap<string, JobRow>;
  readonly observations: Observations;
  readonly notes: readonly string[];
}

/** One reference local cloud that runs many histories, one after the other. */
export class CloudWorld {
  private histories = 0;
  private constructor(
    readonly cloud: LocalCloud,
    private readonly clients: AwsClients,
    private readonly publisher: Publisher<Topology>,
    private readonly ops: OperatorContext,
    private readonly losses: Map<string, number>,
  ) {}

  static async start(): Promise<CloudWorld> {
    const topology = quickTimeouts(referenceTopology);
    const cloud = await startShopCloud(topology, { timeScale: 1 });
    const connection = localConnection(cloud.endpoints.messaging, cloud.region);
    const clients = createClients(connection);
    const losses = loseResponses(clients.sns);
    const source = { kind: 'static' as const, outputs: cloud.outputs, connection };
    const publisher = await createPublisher({ topology, target: source, clients });
    const ops = await connectOperator({ topology, source, clients });
    return new CloudWorld(cloud, clients, publisher, ops, losses);
  }

  private out(key: string): string {
    const value = this.cloud.outputs[key];
    if (!value) throw new Error(`stack output ${key} is missing`);
    return value;
  }

  async quiescent(): Promise<void> {
    await settledWithin(this.publisher.flush(), PUBLISH_DEADLINE_MS);
    // `backlog` counts the batches functions are running too: an at-most-once batch leaves its queue before it runs.
    const queues = CLOUD_CONSUMERS.map((c) => this.out(OUTPUT_KEYS.queueUrl(c)));
    await waitFor('every queue drained and every batch settled', () => backlog(this.cloud, queues) === 0, 90_000);
  }

  /** Poison goes around the publisher (which validates payloads), as a producer without it would send it. */
  private async publishRaw(pub: Publication): Promise<void> {
    const payments = pub.accountId !== undefined;
    const key = pub.key ?? randomUUID();
    const str = (value: string) => ({ DataType: 'String', StringValue: value });
    await this.cloud.clients.sns.send(
      new PublishCommand({
        TopicArn: this.out(OUTPUT_KEYS.topicArn(payments ? 'payments' : 'orders')),
        Message: JSON.stringify(pub.payload),
        MessageAttributes: {
          eventType: str(pub.eventType),
          idempotencyKey: str(key),
          correlationId: str(`poison-${pub.number}`),
        },
        ...(payments
          ? {
              MessageGroupId: pub.accountId,
              MessageDeduplicationId: fifoDeduplicationId(pub.eventType, key, pub.payload),
            }
          : {}),
      }),
    );
  }

  private async replay(
    step: ReplayStep,
    tag: string,
    ever: Map<Consumer, DeadLetterSeen[]>,
    notes: string[],
  ): Promise<void> {
    await this.quiescent();
    const letters = await peekDeadLetters(this.ops, step.subscriber, 100);
    const mine = letters.filter((l) => l.payload.includes(tag));
    ever.set(step.subscriber, [
      ...(ever.get(step.subscriber) ?? []),
      ...mine.map((l) => ({
        eventType: l.eventType,
        payload: safeJson(l.payload),
        key: l.attributes[DEFAULT_PRODUCER_KEY_ATTRIBUTE],
        reason: undefined,
      })),
    ]);
    const first = mine[0];
    const filter =
      !first || !step.filter
        ? undefined
        : step.filter === 'event-type'
          ? `eventType=${first.eventType}`
          : `body.${step.subscriber === 'ledger' || step.subscriber === 'audit' ? 'accountId' : 'orderId'}=${(safeJson(first.payload) as Record<string, string>)[step.subscriber === 'ledger' || step.subscriber === 'audit' ? 'accountId' : 'orderId']}`;
    const result = await replayDeadLetters(this.ops, step.subscriber, {
      method: step.method === 'native' ? 'auto' : 'manual',
      pollMs: 50,
      // The checker replays poison messages on purpose: what it checks is where they end up.
      force: true,
      ...(filter ? { filter } : {}),
    });
    notes.push(
      `replay ${step.subscriber}: ${result.method}, moved ${result.moved}, skipped ${result.skipped}${filter ? ` (filter ${filter})` : ''}`,
    );
  }

  async run(program: Program): Promise<HistoryRun> {
    const tag = `h${++this.histories}-${randomUUID().slice(0, 6)}`;
    const pubs = publications(program.steps, tag);
    const calls = requestCalls(program.steps, tag);
    const requests: RequestSeen[] = [];
    const notes: string[] = [];
    const ever = new Map<Consumer, DeadLetterSeen[]>();
    const crashedConsumers = new Set<Consumer>();
    const rejected: { pub: Publication; error: string }[] = [];
    const sent: Promise<unknown>[] = [];
    await this.quiescent();
    const countsBefore = await readCounts(this.cloud.clients.dynamodb, (t) => this.out(OUTPUT_KEYS.tableName(t)));
    for (const [i, step] of program.steps.entries()) {
      const pub = pubs.find((p) => p.step === i);
      if (pub) {
        const correlationId = `${tag}-pub-${pub.number}`;
        if (pub.lostResponses) this.losses.set(correlationId, pub.lostResponses);
        const sending = pub.poison
          ? this.publishRaw(pub)
          : this.publisher.publish(pub.eventType, pub.payload, {
              correlationId,
              ...(pub.key ? { idempotencyKey: pub.key } : {}),
              ...(pub.oversized ? { attributes: { note: 'n'.repeat(OVERSIZED_ATTRIBUTE_CHARS) } } : {}),
            });
        sent.push(
          settledWithin<unknown>(sending, PUBLISH_DEADLINE_MS).catch((error: Error) =>
            rejected.push({ pub, error: error.message }),
          ),
        );
      } else if (step.kind === 'request') {
        const call = calls.find((c) => c.step === i)!;
        const asking = this.publisher.request('JobRequested', call.payload, {
          timeoutMs: REQUEST_TIMEOUT_MS,
          ...(call.key ? { idempotencyKey: call.key } : {}),
        });
        sent.push(
          settledWithin(asking, REQUEST_TIMEOUT_MS + PUBLISH_DEADLINE_MS).then(
            (answer) => requests.push({ call, answer }),
            (error: Error) => requests.push({ call, error: error.message }),
          ),
        );
      } else if (step.kind === 'settle') {
        await Promise.all(sent);
        await this.quiescent();
      } else if (step.kind === 'replay') {
        await Promise.all(sent);
        await this.replay(step, tag, ever, notes);
      } else if (step.kind === 'crash') {
        const fn = this.out(OUTPUT_KEYS.functionName(step.consumer));
        const crashed = await waitFor(
          `a busy ${step.consumer} worker`,
          () => this.cloud.lambdas.crashBusyEnvironments(fn) || undefined,
          2_000,
        ).catch(() => 0);
        notes.push(`crash ${step.consumer}: ${crashed ? `${crashed} worker(s) killed` : 'none was busy'}`);
        if (crashed) crashedConsumers.add(step.consumer);
      }
    }
    await Promise.all(sent);
    await this.quiescent();
    const deadLetters = new Map<Consumer, DeadLetterSeen[]>();
    for (const c of CLOUD_CONSUMERS.filter((c) => c !== 'analytics')) {
      deadLetters.set(
        c,
        await drainDeadLetters(
          this.cloud.clients.sqs,
          this.out(OUTPUT_KEYS.deadLetterQueueUrl(c)),
          this.cloud.clients.s3,
        ),
      );
    }
    const tables = await readTables(
      this.cloud.clients.dynamodb,
      (t) => this.out(OUTPUT_KEYS.tableName(t)),
      pubs,
      countsBefore,
    );
    const accepted = pubs.filter((p) => !rejected.some((r) => r.pub === p));
    const jobIds = [...new Set(calls.map((c) => c.payload.jobId))];
    return {
      pubs: accepted,
      rejected,
      requests,
      jobRows: await readJobRows(this.cloud.clients.dynamodb, this.out(OUTPUT_KEYS.tableName('job-results')), jobIds),
      observations: { ...tables, deadLetters, everDeadLettered: ever, crashed: crashedConsumers },
      notes,
    };
  }

  async stop(): Promise<void> {
    await this.publisher.close().catch(() => undefined);
    this.ops.close();
    this.clients.destroy();
    await this.cloud.stop();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
