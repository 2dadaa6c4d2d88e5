/**
 * `npm run bench:producer`: naive one-API-call-per-message publishing vs the batching publisher,
 * 10,000 messages to a standard topic and to a FIFO topic with 100 groups, against fauxqs in-process.
 * Prints API requests per message, messages per second and whether every FIFO group kept its order.
 */
import { CreateTopicCommand, PublishCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import Table from 'cli-table3';
import { startFauxqs } from 'fauxqs';
import * as v from 'valibot';
import { createClients, localConnection, type AwsClients } from '../client/connection.ts';
import { createPublisher } from '../client/publisher.ts';
import { OUTPUT_KEYS } from '../contracts/outputs.ts';
import type { Topology } from '../topology/types.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const GROUPS = 100;
const CONCURRENCY = 8;

const Tick = v.object({ id: v.string(), group: v.string(), seq: v.number() });
const topology = {
  name: 'bench',
  events: { Tick: { schema: Tick }, OrderedTick: { schema: Tick, groupBy: 'group' } },
  topics: [
    {
      name: 'ticks',
      events: ['Tick'],
      subscriptions: [{ name: 'tick-sink', rawDelivery: true, consumer: { handler: 'none' } }],
    },
    {
      name: 'ordered',
      fifo: true,
      events: ['OrderedTick'],
      subscriptions: [{ name: 'ordered-sink', rawDelivery: true, consumer: { handler: 'none' } }],
    },
  ],
} as const satisfies Topology;

interface Run {
  readonly scenario: string;
  readonly method: string;
  readonly requests: number;
  readonly ms: number;
  readonly delivered: number;
  readonly order: string;
}

function countRequests(client: SNSClient): { value: number } {
  const counter = { value: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      counter.value++;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  return counter;
}

async function sink(clients: AwsClients, topicArn: string, name: string, fifo: boolean): Promise<string> {
  const { QueueUrl } = await clients.sqs.send(
    new CreateQueueCommand({ QueueName: fifo ? `${name}.fifo` : name, Attributes: fifo ? { FifoQueue: 'true' } : {} }),
  );
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await clients.sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes!.QueueArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  return QueueUrl!;
}

/** Receives everything; returns the count and whether each group's `seq` came in ascending order. */
async function drainAndCheck(sqs: SQSClient, queueUrl: string): Promise<{ delivered: number; ordered: boolean }> {
  const last = new Map<string, number>();
  let delivered = 0;
  let ordered = true;
  for (let empty = 0; empty < 3; ) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
    );
    if (Messages.length === 0) {
      empty++;
      continue;
    }
    empty = 0;
    for (const m of Messages) {
      const tick = JSON.parse(m.Body!) as { group: string; seq: number };
      if ((last.get(tick.group) ?? -1) >= tick.seq) ordered = false;
      last.set(tick.group, tick.seq);
    }
    delivered += Messages.length;
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
  return { delivered, ordered };
}

const ticks = () =>
  Array.from({ length: MESSAGES }, (_, i) => ({ id: `t-${i}`, group: `g-${i % GROUPS}`, seq: Math.floor(i / GROUPS) }));

/** One PublishCommand per message, CONCURRENCY at a time; FIFO workers own disjoint groups so order holds. */
async function naive(sns: SNSClient, topicArn: string, fifo: boolean): Promise<void> {
  const all = ticks();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      const mine = fifo
        ? all.filter((t) => Number(t.group.slice(2)) % CONCURRENCY === worker)
        : all.filter((_, i) => i % CONCURRENCY === worker);
      for (const t of mine) {
        await sns.send(
          new PublishCommand({
            TopicArn: topicArn,
            Message: JSON.stringify(t),
            MessageAttributes: { eventType: { DataType: 'String', StringValue: fifo ? 'OrderedTick' : 'Tick' } },
            ...(fifo ? { MessageGroupId: t.group, MessageDeduplicationId: t.id } : {}),
          }),
        );
      }
    }),
  );
}

async function main(): Promise<void> {
  const server = await startFauxqs({ port: 0, logger: false });
  const connection = localConnection(server.address);
  const setup = createClients(connection);
  const runs: Run[] = [];
  try {
    for (const fifo of [false, true]) {
      for (const method of ['naive', 'publisher'] as const) {
        const topicName = `${method}-${fifo ? 'ordered.fifo' : 'ticks'}`;
        const { TopicArn } = await setup.sns.send(
          new CreateTopicCommand({ Name: topicName, Attributes: fifo ? { FifoTopic: 'true' } : {} }),
        );
        const queueUrl = await sink(setup, TopicArn!, `${method}-${fifo ? 'ordered' : 'ticks'}-sink`, fifo);
        const clients = createClients(connection);
        const counter = countRequests(clients.sns);
        const started = performance.now();
        if (method === 'naive') {
          await naive(clients.sns, TopicArn!, fifo);
        } else {
          const outputs = { [OUTPUT_KEYS.topicArn(fifo ? 'ordered' : 'ticks')]: TopicArn! };
          const publisher = await createPublisher({
            topology,
            target: { kind: 'static', outputs, connection },
            clients,
            maxInFlightBatches: CONCURRENCY,
          });
          await Promise.all(ticks().map((t) => publisher.publish(fifo ? 'OrderedTick' : 'Tick', t)));
          await publisher.close();
        }
        const ms = performance.now() - started;
        const { delivered, ordered } = await drainAndCheck(setup.sqs, queueUrl);
        clients.destroy();
        runs.push({
          scenario: fifo ? `FIFO topic, ${GROUPS} groups` : 'standard topic',
          method: method === 'naive' ? 'naive: Publish per message' : 'publisher: PublishBatch',
          requests: counter.value,
          ms,
          delivered,
          order: fifo ? (ordered ? 'kept in every group' : 'BROKEN') : '-',
        });
      }
    }
  } finally {
    setup.destroy();
    await server.stop();
  }
  const table = new Table({
    head: ['scenario', 'method', 'messages', 'API requests', 'requests/msg', 'msg/s', 'delivered', 'FIFO order'],
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'left'],
    style: { head: [], border: [] },
  });
  for (const r of runs) {
    table.push([
      r.scenario,
      r.method,
      MESSAGES,
      r.requests,
      (r.requests / MESSAGES).toFixed(3),
      Math.round((MESSAGES / r.ms) * 1000),
      r.delivered,
      r.order,
    ]);
  }
  console.log(
    `Producer benchmark: ${MESSAGES} messages per run, fauxqs ${server.address.replace(/:\d+$/, '')} in-process, ${CONCURRENCY} concurrent calls/batches, Node ${process.version}`,
  );
  console.log(table.toString());
}

await main();
