import { randomUUID } from 'node:crypto';
import { DeleteItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { DeleteMessageCommand, PurgeQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localConnection } from '../../../../client/connection.ts';
import { connectOperator, type OperatorContext } from '../../../../client/operator.ts';
import { replayFromArchive } from '../../../../client/replay.ts';
import type { ChaosOptions } from '../../../../local/lambda/host.ts';
import type { LocalCloud } from '../../../../local/index.ts';
import { OUTPUT_KEYS } from '../../../../contracts/outputs.ts';
import { referenceTopology } from '../../topology.ts';
import type { Topology } from '../../../../topology/types.ts';
import { sleep, waitFor } from '../../../../test/support/local-cloud.ts';
import { startShopCloud } from './shop-cloud.ts';

/** The payments half of the reference: the archiving FIFO topic, the ledger and the audit. */
const topology: Topology = {
  ...referenceTopology,
  topics: referenceTopology.topics.filter((t) => t.name !== 'orders'),
  workQueues: [],
  tables: referenceTopology.tables.filter((t) => t.name === 'ledger' || t.name === 'audit-log'),
};
const ACCOUNTS = ['a-1', 'a-2', 'a-3'];
/** Mutable on purpose: the recovery test switches a "bug" on and off (chaos is read on every invocation). */
const chaos: { failureRate: number } = { failureRate: 0 };
let cloud: LocalCloud;
let ops: OperatorContext;
let archiveStart: Date;
const published: { messageId: string; accountId: string; paymentId: string; delta: number }[] = [];

const str = (value: string) => ({ DataType: 'String', StringValue: value });
const ledgerTable = () => cloud.outputs[OUTPUT_KEYS.tableName('ledger')]!;

async function publishPayments(count: number, tag: string): Promise<void> {
  const entries = Array.from({ length: count }, (_, i) => {
    const accountId = ACCOUNTS[i % ACCOUNTS.length]!;
    const paymentId = `${tag}-${i}`;
    const refund = i % 4 === 3;
    const eventType = refund ? 'PaymentRefunded' : 'PaymentCaptured';
    const amountCents = 100 + i;
    return {
      accountId,
      paymentId,
      delta: refund ? -amountCents : amountCents,
      entry: {
        Id: `e${i}`,
        Message: JSON.stringify({ paymentId, accountId, amountCents, ...(refund ? { refundId: paymentId } : {}) }),
        MessageGroupId: accountId,
        MessageDeduplicationId: `${eventType}-${paymentId}`,
        MessageAttributes: { eventType: str(eventType), idempotencyKey: str(paymentId) },
      },
    };
  });
  for (let i = 0; i < entries.length; i += 10) {
    const chunk = entries.slice(i, i + 10);
    const { Successful = [] } = await cloud.clients.sns.send(
      new PublishBatchCommand({
        TopicArn: cloud.outputs[OUTPUT_KEYS.topicArn('payments')]!,
        PublishBatchRequestEntries: chunk.map((e) => e.entry),
      }),
    );
    for (const ok of Successful) {
      const e = chunk.find((c) => c.entry.Id === ok.Id)!;
      published.push({ messageId: ok.MessageId!, accountId: e.accountId, paymentId: e.paymentId, delta: e.delta });
    }
  }
}

async function ledger(): Promise<Record<string, { balance: number; entries: number }>> {
  const { Items = [] } = await cloud.clients.dynamodb.send(
    new ScanCommand({ TableName: ledgerTable(), ConsistentRead: true }),
  );
  const rows = Items.map(
    (i: Record<string, AttributeValue>) =>
      [i.accountId!.S!, { balance: Number(i.balanceCents!.N), entries: Number(i.entries!.N) }] as const,
  );
  return Object.fromEntries(rows.sort(([a], [b]) => a.localeCompare(b)));
}

function expectedLedger(): Record<string, { balance: number; entries: number }> {
  const out: Record<string, { balance: number; entries: number }> = {};
  for (const p of [...published].sort((a, b) => a.accountId.localeCompare(b.accountId))) {
    const row = out[p.accountId] ?? { balance: 0, entries: 0 };
    out[p.accountId] = row;
    row.balance += p.delta;
    row.entries++;
  }
  return out;
}

const queueUrl = (name: string) => ops.target.endpoint(name).queueUrl;
async function drained(name: string): Promise<boolean> {
  const gauges = cloud.queueGauges(queueUrl(name));
  return gauges !== undefined && gauges.visible + gauges.notVisible + gauges.delayed === 0;
}
async function settledLedgerEquals(expected: object): Promise<void> {
  await waitFor(
    'ledger to match',
    async () => (await drained('ledger')) && JSON.stringify(await ledger()) === JSON.stringify(expected),
    60_000,
  );
}

async function wipeLedger(): Promise<void> {
  const { Items = [] } = await cloud.clients.dynamodb.send(new ScanCommand({ TableName: ledgerTable() }));
  for (const item of Items)
    await cloud.clients.dynamodb.send(
      new DeleteItemCommand({ TableName: ledgerTable(), Key: { accountId: item.accountId! } }),
    );
}

beforeAll(async () => {
  cloud = await startShopCloud(topology, { chaos: chaos as ChaosOptions });
  archiveStart = new Date();
  ops = await connectOperator({
    topology,
    source: {
      kind: 'static',
      outputs: cloud.outputs,
      connection: localConnection(cloud.endpoints.messaging, cloud.region),
    },
  });
  await sleep(5); // publishes land strictly after the replay window's start
  await publishPayments(30, `live-${randomUUID().slice(0, 6)}`);
  await settledLedgerEquals(expectedLedger());
}, 180_000);
afterAll(async () => {
  ops?.close();
  await cloud?.stop();
});

const replay = (subscriber: string, extra: object = {}) =>
  replayFromArchive(ops, {
    topic: 'payments',
    subscriber,
    from: archiveStart,
    dynamodb: cloud.clients.dynamodb,
    pollIntervalMs: 20,
    ...extra,
  });

describe('fanout replay on the local cloud', () => {
  it('rebuilds a wiped ledger from the archive to the live state', async () => {
    const live = await ledger();
    await wipeLedger();
    expect(await ledger()).toEqual({});
    const result = await replay('ledger', { resetIdempotency: true });
    expect(result.status).toBe('Completed');
    expect(result.cleared).toMatchObject({ deleted: published.length, inProgress: 0 });
    await settledLedgerEquals(live);
  }, 120_000);

  it('a second replay of the same window (records kept) changes nothing', async () => {
    const before = await ledger();
    const invocations = cloud.lambdas.stats(ops.target.endpoint('ledger').endpoint.names.function).invocations;
    const result = await replay('ledger');
    expect([result.status, result.cleared]).toEqual(['Completed', undefined]);
    await waitFor(
      'replayed copies consumed',
      async () =>
        (await drained('ledger')) &&
        cloud.lambdas.stats(ops.target.endpoint('ledger').endpoint.names.function).invocations > invocations,
      60_000,
    );
    expect(await ledger()).toEqual(before);
  }, 120_000);

  it('recovers messages a faulty deployment lost: after the fix, a replay runs only those', async () => {
    const dlq = ops.target.endpoint('ledger').deadLetterQueueUrl!;
    const good = await ledger();
    chaos.failureRate = 1; // every ledger invocation fails: the messages go to the DLQ after 5 receives
    const before = published.length;
    await publishPayments(9, `lost-${randomUUID().slice(0, 6)}`);
    await waitFor(
      'the new payments dead-lettered',
      async () => (cloud.queueGauges(dlq)?.visible ?? 0) === published.length - before && (await drained('ledger')),
      90_000,
    );
    chaos.failureRate = 0;
    await cloud.clients.sqs.send(new PurgeQueueCommand({ QueueUrl: dlq })); // the DLQ is gone (expired, purged): only the archive has them
    expect(await ledger()).toEqual(good);
    const result = await replay('ledger');
    expect(result.status).toBe('Completed');
    await settledLedgerEquals(expectedLedger());
  }, 180_000);

  it('keeps FIFO order per group, the MessageId and Timestamp, and marks messages Replayed', async () => {
    const audit = cloud.pollers.find((p) => p.config.queueUrl === queueUrl('audit'))!;
    await waitFor('audit drained', () => drained('audit'), 60_000);
    audit.pause();
    try {
      await replay('audit');
      const received: { group: string; envelope: Record<string, unknown> }[] = [];
      while (received.length < published.length) {
        const { Messages = [] } = await cloud.clients.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl('audit'),
            MaxNumberOfMessages: 10,
            MessageSystemAttributeNames: ['MessageGroupId'],
            WaitTimeSeconds: 1,
          }),
        );
        for (const m of Messages) {
          received.push({ group: m.Attributes!.MessageGroupId!, envelope: JSON.parse(m.Body!) });
          await cloud.clients.sqs.send(
            new DeleteMessageCommand({ QueueUrl: queueUrl('audit'), ReceiptHandle: m.ReceiptHandle! }),
          );
        }
      }
      for (const account of ACCOUNTS) {
        const order = received.filter((r) => r.group === account).map((r) => r.envelope.MessageId);
        expect(order).toEqual(published.filter((p) => p.accountId === account).map((p) => p.messageId));
      }
      expect(received.every((r) => r.envelope.Replayed === true && typeof r.envelope.Timestamp === 'string')).toBe(
        true,
      );
      const stamps = received.map((r) => Date.parse(r.envelope.Timestamp as string));
      expect(Math.min(...stamps)).toBeGreaterThanOrEqual(archiveStart.getTime());
    } finally {
      audit.resume();
    }
  }, 120_000);

  it('refuses outside the archive window, on a standard topic and for a subscriber of another topic', async () => {
    await expect(
      replayFromArchive(ops, {
        topic: 'payments',
        subscriber: 'ledger',
        from: new Date(archiveStart.getTime() - 60_000),
      }),
    ).rejects.toThrow(
      /^--from .* is outside the archive window of topic 'payments' \(30 days, messages from .* on\)\. Fix: start at .* or later\.$/,
    );
    await expect(
      replayFromArchive(ops, { topic: 'ops-alarms', subscriber: 'ledger', from: archiveStart }),
    ).rejects.toThrow(
      "Topic 'ops-alarms' is a standard topic, and SNS archives and replays only FIFO topics. Fix: replay a FIFO topic with archiveRetentionDays, or recover this subscriber from its DLQ (fanout dlq replay).",
    );
    await expect(
      replayFromArchive(ops, { topic: 'payments', subscriber: 'inventory', from: archiveStart }),
    ).rejects.toThrow(
      "Subscriber 'inventory' cannot replay from topic 'payments': it is not subscribed to it (subscribers: ledger, audit). Fix: pick one of them.",
    );
    await expect(
      replayFromArchive(ops, { topic: 'payments', subscriber: 'ledger', from: new Date(), to: archiveStart }),
    ).rejects.toThrow(/^--to .* is before --from/);
  });
});
