import { randomUUID } from 'node:crypto';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { consumerEnvironment } from '../../../../lib/consumer-environment.ts';
import { toLambdaRecord } from '../../../../local/esm/records.ts';
import {
  createConsumer,
  dynamo,
  DynamoDbIdempotencyStore,
  readConsumerConfig,
  type BatchHandler,
} from '../../../../lambdas/runtime/index.ts';
import { tableEnvName } from '../../../../contracts/consumer-env.ts';
import { fifoDeduplicationId } from '../../../../contracts/message-identity.ts';
import { referenceTopology } from '../../topology.ts';
import { resolveTopology, type ResolvedEndpoint } from '../../../../topology/resolve.ts';
import {
  createTable,
  REGION,
  startDynamo,
  startSqs,
  type LocalDynamo,
  type LocalSqs,
} from '../../../../test/support/emulators.ts';
import { lambdaContext } from '../../../../test/support/lambda-events.ts';
import { drainDeadLetters } from './dead-letters.ts';
import { publications, type Publication } from './history.ts';
import type { DeadLetterSeen } from './observations.ts';
import { receives } from './oracle.ts';
import type { Consumer, Program } from './program.ts';
import type { HistoryRun } from './cloud-world.ts';
import { readCounts, readTables } from './read-tables.ts';
import { RuntimeFaults, type Invocation } from './runtime-faults.ts';

export const RUNTIME_CONSUMERS: readonly Consumer[] = [
  'inventory',
  'email',
  'warehouse',
  'analytics',
  'ledger',
  'audit',
];
const IDEMPOTENCY_TABLE = 'idempotency';
const TOPIC_ARN = (topic: string) => `arn:aws:sns:${REGION}:000000000000:${topic}`;

interface Lane {
  readonly endpoint: ResolvedEndpoint;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly dlqUrl: string | undefined;
  readonly handler: BatchHandler;
}

/**
 * The in-process level: the real consumer runtime (`createConsumer`) with the real handlers and
 * each endpoint's deployed configuration, on fauxqs queues (redrive included) and DynamoDB Local. A
 * small poller plays Lambda's event source mapping; time moves on a virtual clock, so leases end
 * and visibility timeouts pass at once when a history needs them to.
 */
export class RuntimeWorld {
  private histories = 0;
  private constructor(
    private readonly clock: VirtualClock,
    private readonly db: LocalDynamo,
    private readonly sqs: LocalSqs,
    private readonly lanes: ReadonlyMap<Consumer, Lane>,
    private readonly faults: RuntimeFaults,
  ) {}

  static async start(): Promise<RuntimeWorld> {
    const db = await startDynamo();
    const sqs = await startSqs();
    process.env.AWS_ENDPOINT_URL_DYNAMODB = db.endpoint;
    process.env.AWS_ENDPOINT_URL_SQS = sqs.endpoint;
    await createTable(db.client, IDEMPOTENCY_TABLE, 'id');
    for (const t of referenceTopology.tables)
      await createTable(db.client, t.name, t.partitionKey, 'sortKey' in t ? t.sortKey : undefined);
    const faults = new RuntimeFaults();
    const clock = new VirtualClock();
    const runtimeSqs = new SQSClient({ endpoint: sqs.endpoint, region: REGION });
    faults.instrumentRuntimeSqs(runtimeSqs);
    // Consumers whose completion is a separate store write (the lease protocol); for the others the
    // effect's commit is the completion, so "after the completion" is right after the effect.
    const leaseConsumers = new Set<Consumer>();
    faults.instrumentHandlerClient(dynamo(), (c) => !leaseConsumers.has(c));
    const store = faults.wrapStore(
      new DynamoDbIdempotencyStore(new DynamoDBClient({ endpoint: db.endpoint, region: REGION }), IDEMPOTENCY_TABLE),
    );
    const lanes = new Map<Consumer, Lane>();
    for (const endpoint of resolveTopology(referenceTopology, 'dev').endpoints.filter((e) =>
      RUNTIME_CONSUMERS.includes(e.name as Consumer),
    )) {
      const fifo: Record<string, string> = endpoint.fifo ? { FifoQueue: 'true' } : {};
      const dlqUrl =
        endpoint.maxReceiveCount === undefined ? undefined : sqs.createQueue(endpoint.names.deadLetterQueue, fifo);
      const redrive: Record<string, string> = dlqUrl
        ? {
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: await arnOf(sqs.client, dlqUrl),
              maxReceiveCount: endpoint.maxReceiveCount,
            }),
          }
        : {};
      const queueUrl = sqs.createQueue(endpoint.names.queue, { ...fifo, ...redrive });
      const tableNames = Object.fromEntries(referenceTopology.tables.map((t) => [t.name, t.name]));
      const env = consumerEnvironment(endpoint, {
        queueUrl,
        ...(dlqUrl ? { deadLetterQueueUrl: dlqUrl } : {}),
        idempotencyTableName: IDEMPOTENCY_TABLE,
        replyQueuePrefix: 'fanout-dev-reply',
        tableNames,
      });
      for (const t of endpoint.consumer.tables) process.env[tableEnvName(t)] = t;
      const { handler } = (await import(`../../handlers/${endpoint.consumer.handler}.ts`)) as {
        handler: { definition: Parameters<typeof createConsumer>[0] };
      };
      if (endpoint.delivery === 'exactly-once' && (handler.definition as { effects?: string }).effects !== 'staged')
        leaseConsumers.add(endpoint.name as Consumer);
      const core = createConsumer(handler.definition, readConsumerConfig(env), {
        store,
        sqs: runtimeSqs,
        sink: () => {},
        now: clock.now,
      });
      lanes.set(endpoint.name as Consumer, {
        endpoint,
        queueUrl,
        queueArn: await arnOf(sqs.client, queueUrl),
        dlqUrl,
        handler: core,
      });
    }
    return new RuntimeWorld(clock, db, sqs, lanes, faults);
  }

  /** What SNS would deliver to each subscription's queue (envelope or raw, FIFO group and dedup id). */
  private async publish(pub: Publication, tag: string): Promise<void> {
    const key = pub.key ?? `${tag}-minted-${pub.number}`;
    const attributes = { eventType: pub.eventType, idempotencyKey: key, correlationId: correlationOf(tag, pub) };
    const snsMessageId = randomUUID();
    for (const [consumer, lane] of this.lanes) {
      if (!receives(consumer, pub)) continue;
      const raw = lane.endpoint.rawDelivery;
      const body = raw
        ? JSON.stringify(pub.payload)
        : JSON.stringify({
            Type: 'Notification',
            MessageId: snsMessageId,
            TopicArn: TOPIC_ARN(lane.endpoint.topic ?? ''),
            Message: JSON.stringify(pub.payload),
            Timestamp: new Date().toISOString(),
            SignatureVersion: '1',
            Signature: 'c2ln',
            SigningCertURL: 'https://sns.example/cert.pem',
            UnsubscribeURL: 'https://sns.example/unsubscribe',
            MessageAttributes: Object.fromEntries(
              Object.entries(attributes).map(([k, v]) => [k, { Type: 'String', Value: v }]),
            ),
          });
      await this.sqs.client.send(
        new SendMessageCommand({
          QueueUrl: lane.queueUrl,
          MessageBody: body,
          ...(raw
            ? {
                MessageAttributes: Object.fromEntries(
                  Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
                ),
              }
            : {}),
          ...(lane.endpoint.fifo
            ? {
                MessageGroupId: pub.accountId,
                MessageDeduplicationId: fifoDeduplicationId(pub.eventType, key, pub.payload),
              }
            : {}),
        }),
      );
    }
  }

  /** Plays the event source mapping until the queue is empty; a crashed batch comes back after its lease and visibility timeout. */
  private async drain(consumer: Consumer): Promise<void> {
    const lane = this.lanes.get(consumer)!;
    const timeoutMs = lane.endpoint.consumer.timeoutSeconds * 1000;
    for (let round = 0; round < 500; round++) {
      const { Messages = [] } = await this.sqs.client.send(
        new ReceiveMessageCommand({
          QueueUrl: lane.queueUrl,
          MaxNumberOfMessages: Math.min(10, lane.endpoint.consumer.batchSize),
          VisibilityTimeout: 600,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) return;
      const records = Messages.map((m) => toLambdaRecord(m, lane.queueArn, REGION));
      let crashed: () => void = () => {};
      const died = new Promise<'crashed'>((resolve) => (crashed = () => resolve('crashed')));
      const invocation: Invocation = {
        consumer,
        correlationIds: new Set(records.map(correlationOfRecord)),
        dead: false,
        onCrash: () => crashed(),
      };
      const event: SQSEvent = { Records: records };
      const outcome = await Promise.race([
        this.faults.current.run(invocation, () => lane.handler(event, lambdaContext(timeoutMs, this.clock.now))),
        died,
      ]);
      const retried =
        outcome === 'crashed'
          ? new Set(records.map((r) => r.messageId))
          : new Set(outcome.batchItemFailures.map((f) => f.itemIdentifier));
      if (outcome === 'crashed') this.clock.advance(timeoutMs + 1_000); // the dead holder's lease ends
      for (const m of Messages) {
        const handle = { QueueUrl: lane.queueUrl, ReceiptHandle: m.ReceiptHandle! };
        // Failed or crashed: back after the visibility timeout (at once here). Either may fail: the runtime may have deleted it.
        if (retried.has(m.MessageId!))
          await this.sqs.client
            .send(new ChangeMessageVisibilityCommand({ ...handle, VisibilityTimeout: 0 }))
            .catch(() => undefined);
        else await this.sqs.client.send(new DeleteMessageCommand(handle)).catch(() => undefined);
      }
    }
    throw new Error(`${consumer} queue never drained`);
  }

  private async drainAll(): Promise<void> {
    for (const consumer of this.lanes.keys()) await this.drain(consumer);
  }

  async run(program: Program): Promise<HistoryRun> {
    const tag = `r${++this.histories}-${randomUUID().slice(0, 6)}`;
    const pubs = publications(program.steps, tag);
    const tables = (t: string) => t;
    const countsBefore = await readCounts(this.db.client, tables);
    this.faults.reset();
    const notes: string[] = [];
    for (const [i, step] of program.steps.entries()) {
      const pub = pubs.find((p) => p.step === i);
      if (pub) await this.publish(pub, tag);
      else if (step.kind === 'settle') await this.drainAll();
      else if (step.kind === 'replay') notes.push('replays run on the cloud level only');
      else if (step.kind === 'fill') await fillAuditPartition(this.db.client, `${tag}-${step.account}`);
      else if ((step.kind === 'crash' || step.kind === 'fail') && pubs.length > 0) {
        const target = pubs[step.target % pubs.length]!;
        const ids = {
          consumer: step.consumer,
          correlationId: correlationOf(tag, target),
          businessId: target.businessId,
        };
        if (step.kind === 'fail') this.faults.failures.push({ ...ids, remaining: step.times });
        else if (step.point !== 'while-busy') this.faults.crashes.push({ ...ids, point: step.point, fired: false });
      }
    }
    await this.drainAll();
    const fired = this.faults.crashes.filter((c) => c.fired).length;
    if (this.faults.crashes.length) notes.push(`${fired} of ${this.faults.crashes.length} crash(es) fired`);
    const deadLetters = new Map<Consumer, DeadLetterSeen[]>();
    for (const [consumer, lane] of this.lanes)
      if (lane.dlqUrl) deadLetters.set(consumer, await drainDeadLetters(this.sqs.client, lane.dlqUrl, undefined));
    const observed = await readTables(this.db.client, tables, pubs, countsBefore);
    const crashed = new Set(this.faults.crashes.filter((c) => c.fired).map((c) => c.consumer));
    return {
      pubs,
      rejected: [],
      requests: [],
      jobRows: new Map(),
      observations: { ...observed, deadLetters, everDeadLettered: new Map(), crashed },
      notes,
    };
  }

  async stop(): Promise<void> {
    await this.sqs.close();
    await this.db.close();
  }
}

/** Real time plus the time a history skipped (leases ended, visibility timeouts passed). */
class VirtualClock {
  private offsetMs = 0;
  readonly now = () => Date.now() + this.offsetMs;
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

const correlationOf = (tag: string, pub: Publication) => `${tag}-pub-${pub.number}`;

function correlationOfRecord(record: {
  body: string;
  messageAttributes: Record<string, { stringValue?: string }>;
}): string {
  const attribute = record.messageAttributes.correlationId?.stringValue;
  if (attribute) return attribute;
  try {
    return (
      (JSON.parse(record.body) as { MessageAttributes?: Record<string, { Value: string }> }).MessageAttributes
        ?.correlationId?.Value ?? ''
    );
  } catch {
    return '';
  }
}

/** Rows sorted before every audit row of the history, 1.4 MB in all: more than one query page. */
async function fillAuditPartition(db: DynamoDBClient, accountId: string): Promise<void> {
  for (let i = 1; i <= 4; i++)
    await db.send(
      new PutItemCommand({
        TableName: 'audit-log',
        Item: {
          accountId: { S: accountId },
          entryId: { S: `!fill#${randomUUID()}` },
          note: { S: 'x'.repeat(350_000) },
        },
      }),
    );
}

async function arnOf(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return Attributes!.QueueArn!;
}
