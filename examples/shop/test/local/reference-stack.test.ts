import { randomUUID } from 'node:crypto';
import { GetItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { PublishBatchCommand, PublishCommand } from '@aws-sdk/client-sns';
import {
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeDeadLetterReason } from '../../../../contracts/dead-letter.ts';
import { parseOutcomeLine } from '../../../../contracts/outcome-log.ts';
import { OUTPUT_KEYS } from '../../../../contracts/outputs.ts';
import { e2eTarget, REAL_STACK, type E2eTarget } from './e2e-target.ts';
import { sleep, waitFor } from '../../../../test/support/local-cloud.ts';

/** Real deployments run at real speed: alarm periods are minutes there. */
const WAIT_MS = REAL_STACK ? 600_000 : 30_000;
const run = randomUUID().slice(0, 8);
let target: E2eTarget;

beforeAll(async () => {
  target = await e2eTarget();
}, 180_000);
afterAll(() => target?.stop());

const out = (key: string) => {
  const value = target.outputs[key];
  if (!value) throw new Error(`stack output ${key} is missing`);
  return value;
};
const str = (value: string) => ({ DataType: 'String', StringValue: value });
const publishOrder = (eventType: string, body: object, key: string) =>
  target.sns.send(
    new PublishCommand({
      TopicArn: out(OUTPUT_KEYS.topicArn('orders')),
      Message: JSON.stringify(body),
      MessageAttributes: { eventType: str(eventType), idempotencyKey: str(key) },
    }),
  );
const item = async (table: string, key: Record<string, AttributeValue>) =>
  (
    await target.dynamodb.send(
      new GetItemCommand({ TableName: out(OUTPUT_KEYS.tableName(table)), Key: key, ConsistentRead: true }),
    )
  ).Item;
async function scan(table: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await target.dynamodb.send(
      new ScanCommand({ TableName: out(OUTPUT_KEYS.tableName(table)), ExclusiveStartKey }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/**
 * Watches `consumer` settle messages (processed, or acknowledged as a duplicate) whose idempotency key
 * contains `tag`, and waits until `count` distinct SQS messages have. Locally it reads the functions'
 * outcome lines, so a duplicate counts only once the consumer has really seen it; a real stack's logs
 * arrive minutes late, so there it waits a fixed time instead.
 */
function watchSettled(consumer: string, tag: string) {
  const settled = new Set<string>();
  const stop = target.local?.events.on('log', ({ line: text }) => {
    for (const line of text.split('\n')) {
      const outcome = parseOutcomeLine(line.slice(Math.max(0, line.indexOf('{'))));
      if (outcome?.consumer !== consumer || !outcome.idempotencyKey?.includes(tag)) continue;
      if (outcome.outcome === 'processed' || outcome.outcome === 'duplicate') settled.add(outcome.messageId);
    }
  });
  return {
    async until(count: number): Promise<void> {
      try {
        if (!target.local) await sleep(20_000);
        else await waitFor(`${count} messages settled by ${consumer}`, () => settled.size >= count, WAIT_MS);
      } finally {
        stop?.();
      }
    },
  };
}

/**
 * Waits until every copy the subscribers' queues were sent has been handled. The local cloud's SNS
 * delivers during Publish, so queues empty (in-flight copies counted) mean their consumers have seen
 * all they will ever get; a real stack delivers later, so there it waits a while.
 */
async function queuesSettled(subscribers: readonly string[]): Promise<void> {
  if (!target.local) {
    await sleep(20_000);
    return;
  }
  for (const subscriber of subscribers) {
    await waitFor(
      `${subscriber}'s queue empty`,
      async () => {
        const { Attributes = {} } = await target.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: out(OUTPUT_KEYS.queueUrl(subscriber)),
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        return (
          Attributes.ApproximateNumberOfMessages === '0' && Attributes.ApproximateNumberOfMessagesNotVisible === '0'
        );
      },
      WAIT_MS,
    );
  }
}

/** True once `value()` returned the same number twice, a second apart. */
function settled(value: () => number): () => Promise<boolean> {
  return async () => {
    const first = value();
    await sleep(1_000);
    return value() === first;
  };
}

describe('reference stack end to end', () => {
  it('fans out with filters: each subscriber gets exactly its events', async () => {
    const placed = `${run}-placed`;
    const shipped = `${run}-shipped`;
    await publishOrder(
      'OrderPlaced',
      {
        orderId: placed,
        customerId: 'c1',
        email: 'a@example.com',
        items: [{ sku: 'sku-1', quantity: 2 }],
        totalCents: 500,
      },
      `p:${placed}`,
    );
    await publishOrder(
      'OrderShipped',
      { orderId: shipped, email: 'b@example.com', carrier: 'ups', trackingId: '1Z' },
      `s:${shipped}`,
    );
    await waitFor(
      'placed order picked and reserved',
      async () =>
        (await item('picks', { orderId: { S: placed } })) &&
        (await item('reservations', { orderId: { S: placed }, sku: { S: 'sku-1' } })),
      WAIT_MS,
    );
    await waitFor(
      'emails for both',
      async () =>
        (await item('sent-emails', { emailId: { S: `${placed}#confirmation` } })) &&
        (await item('sent-emails', { emailId: { S: `${shipped}#shipped` } })),
      WAIT_MS,
    );
    await queuesSettled(['warehouse', 'inventory']);
    expect(await item('picks', { orderId: { S: shipped } })).toBeUndefined(); // warehouse: OrderPlaced only
    expect((await scan('reservations')).filter((r) => r.orderId!.S === shipped)).toEqual([]); // inventory: Placed/Cancelled only
    expect((await item('reservations', { orderId: { S: placed }, sku: { S: 'sku-1' } }))!.reserved!.N).toBe('2');
  });

  it('processes each job once across competing consumers, duplicates included', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `${run}-job-${i}`);
    const entries = ids.map((jobId, i) => ({
      Id: `e${i}`,
      MessageBody: JSON.stringify({ jobId, kind: 'checksum', input: jobId }),
      MessageAttributes: { eventType: str('JobRequested'), idempotencyKey: str(jobId) },
    }));
    for (let i = 0; i < entries.length; i += 10)
      await target.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: out(OUTPUT_KEYS.queueUrl('jobs')), Entries: entries.slice(i, i + 10) }),
      );
    const mine = await waitFor(
      '30 job results',
      async () => {
        const results = (await scan('job-results')).filter((r) => r.jobId!.S!.startsWith(`${run}-job-`));
        return results.length === 30 && results;
      },
      WAIT_MS,
    );
    const duplicates = watchSettled('jobs', `${run}-job-`);
    await target.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: out(OUTPUT_KEYS.queueUrl('jobs')),
        Entries: entries.slice(0, 5).map((e) => ({ ...e, Id: `${e.Id}dup` })),
      }),
    );
    await duplicates.until(5);
    const after = (await scan('job-results')).filter((r) => r.jobId!.S!.startsWith(`${run}-job-`));
    expect(mine.every((r) => r.runs!.N === '1')).toBe(true);
    expect(after.map((r) => r.runs!.N)).toEqual(Array(30).fill('1'));
    if (target.local)
      expect(
        target.local.pollers.find((p) => p.config.queueUrl === out(OUTPUT_KEYS.queueUrl('jobs')))!.config.concurrency,
      ).toBe(5);
  });

  async function payments(label: string, injectCrashes: boolean) {
    const accounts = ['a', 'b', 'c'].map((a) => `${run}-${label}-${a}`);
    const expected: Record<string, number> = {};
    const entries = [];
    for (let n = 0; n < 12; n++) {
      for (const accountId of accounts) {
        const paymentId = `${accountId}-pay-${n}`;
        const refund = n % 4 === 3;
        const amountCents = refund ? 40 : 100 + n;
        expected[accountId] = (expected[accountId] ?? 0) + (refund ? -amountCents : amountCents);
        entries.push({
          Id: `p${entries.length}`,
          Message: JSON.stringify({ paymentId, accountId, amountCents, ...(refund ? { refundId: paymentId } : {}) }),
          MessageGroupId: accountId,
          MessageDeduplicationId: paymentId,
          MessageAttributes: {
            eventType: str(refund ? 'PaymentRefunded' : 'PaymentCaptured'),
            idempotencyKey: str(paymentId),
          },
        });
      }
    }
    // Producer retries with fresh deduplication ids: SNS cannot drop them, the ledger's idempotency must.
    const retries = entries
      .filter((_, i) => i % 5 === 0)
      .map((e, i) => ({ ...e, Id: `r${i}`, MessageDeduplicationId: `${e.MessageDeduplicationId}-retry` }));
    // A crash mid-payment leaves an in-progress idempotency lease: its redelivery waits for the lease
    // (the function timeout, in real seconds), so a few crashes are enough.
    const ledgerSettled = watchSettled('ledger', `${run}-${label}-`);
    let crashes = 0;
    const chaos = injectCrashes
      ? setInterval(() => {
          if (crashes < 3)
            crashes += target.local!.lambdas.crashBusyEnvironments(out(OUTPUT_KEYS.functionName('ledger')));
        }, 100)
      : undefined;
    try {
      for (const batch of [entries, retries]) {
        for (let i = 0; i < batch.length; i += 10)
          await target.sns.send(
            new PublishBatchCommand({
              TopicArn: out(OUTPUT_KEYS.topicArn('payments')),
              PublishBatchRequestEntries: batch.slice(i, i + 10),
            }),
          );
      }
      await waitFor(
        'balances and audit entries',
        async () => {
          const rows = (await scan('ledger')).filter((r) => accounts.includes(r.accountId!.S!));
          // Audit rows only: each account also has its arrival counter row ('#arrivals').
          const audited = (await scan('audit-log')).filter((r) => accounts.includes(r.accountId!.S!) && r.paymentId);
          return (
            rows.length === accounts.length &&
            rows.every((r) => Number(r.entries?.N) >= 12) &&
            new Set(audited.map((r) => r.paymentId!.S)).size >= 36
          );
        },
        Math.max(WAIT_MS, 150_000),
      );
      await ledgerSettled.until(entries.length + retries.length);
    } finally {
      clearInterval(chaos);
    }
    const balances = Object.fromEntries(
      (await scan('ledger'))
        .filter((r) => accounts.includes(r.accountId!.S!))
        .map((r) => [r.accountId!.S!, Number(r.balanceCents!.N)]),
    );
    expect(balances).toEqual(expected);
    const audited = (await scan('audit-log')).filter((r) => accounts.includes(r.accountId!.S!) && r.paymentId);
    expect(new Set(audited.map((r) => r.paymentId!.S)).size).toBe(36);
    if (injectCrashes) expect(crashes).toBeGreaterThan(0);
  }

  it(
    'delivers every payment to both FIFO subscribers; ledger balances stay exact under duplicate publishes',
    () => payments('dup', false),
    240_000,
  );

  // Local only: crashes are injected through the local Lambda host.
  it.skipIf(Boolean(REAL_STACK))(
    'keeps ledger balances exact under injected worker crashes',
    () => payments('crash', true),
    240_000,
  );

  // Local only: building a backlog needs the mapping paused (UpdateEventSourceMapping on AWS).
  it.skipIf(Boolean(REAL_STACK))(
    'sheds the oldest messages of the slow at-most-once consumer once its backlog passes maxDepth',
    async () => {
      const local = target.local!;
      const queueUrl = out(OUTPUT_KEYS.queueUrl('analytics'));
      const poller = local.pollers.find((p) => p.config.queueUrl === queueUrl)!;
      const cancelledCount = async () =>
        Number((await item('event-counts', { eventType: { S: 'OrderCancelled' } }))?.count?.N ?? 0);
      poller.pause();
      await waitFor('analytics idle', () => local.queueGauges(queueUrl)!.notVisible === 0, WAIT_MS);
      const fn = out(OUTPUT_KEYS.functionName('analytics'));
      const errorsBefore = local.lambdas.stats(fn).errors;
      const outcomes = { processed: 0, shed: 0, dropped: 0 };
      const stopCounting = local.events.on('log', ({ line: text }) => {
        for (const line of text.split('\n')) {
          if (!line.includes('"record outcome"')) continue;
          const { consumer, outcome } = JSON.parse(line.slice(line.indexOf('{'))) as Record<string, string>;
          if (consumer !== 'analytics') continue;
          if (outcome === 'processed') outcomes.processed++;
          else if (outcome === 'shed') outcomes.shed++;
          else outcomes.dropped++;
        }
      });
      const before = await cancelledCount();
      const published = 1_500;
      for (let i = 0; i < published; i += 10) {
        const entries = Array.from({ length: 10 }, (_, k) => ({
          Id: `c${k}`,
          Message: JSON.stringify({ orderId: `${run}-shed-${i + k}`, reason: 'load' }),
          MessageAttributes: { eventType: str('OrderCancelled'), idempotencyKey: str(`${run}-shed-${i + k}`) },
        }));
        await target.sns.send(
          new PublishBatchCommand({
            TopicArn: out(OUTPUT_KEYS.topicArn('orders')),
            PublishBatchRequestEntries: entries,
          }),
        );
      }
      await waitFor('backlog built', () => local.queueGauges(queueUrl)!.visible >= published, WAIT_MS);
      poller.resume();
      await waitFor(
        'analytics drained',
        () => {
          const g = local.queueGauges(queueUrl)!;
          return g.visible + g.notVisible === 0;
        },
        Math.max(WAIT_MS, 120_000),
      );
      // At-most-once deletes a batch before running it: an empty queue is not a finished consumer.
      const failedInvocations = () => local.lambdas.stats(fn).errors - errorsBefore;
      const accounted = () => outcomes.processed + outcomes.shed + outcomes.dropped;
      await waitFor(
        'every analytics record outcome logged',
        () => accounted() === published || failedInvocations() > 0,
        WAIT_MS,
      );
      await waitFor('analytics quiet', settled(accounted), WAIT_MS);
      stopCounting();
      const counted = (await cancelledCount()) - before;
      // Shedding drops at most the excess over maxDepth. What it keeps runs once, or — at-most-once —
      // is dropped with a failed invocation (a timeout on a loaded machine), never run again.
      expect(outcomes.shed).toBeGreaterThan(0);
      expect(outcomes.shed).toBeLessThanOrEqual(published - 1_000);
      expect(counted).toBeLessThanOrEqual(published - outcomes.shed);
      if (failedInvocations() === 0) {
        expect(counted).toBe(outcomes.processed);
        expect(counted).toBe(published - outcomes.shed - outcomes.dropped);
      }
    },
    240_000,
  );

  it('dead-letters a poison message with its reason; the DLQ alarm goes to ALARM and back to OK', async () => {
    const dlqUrl = out(OUTPUT_KEYS.deadLetterQueueUrl('warehouse'));
    await target.sqs.send(new PurgeQueueCommand({ QueueUrl: dlqUrl }));
    await publishOrder('OrderPlaced', { orderId: `${run}-poison`, items: 'not-a-list' }, `poison:${run}`);
    const [dead] = await waitFor(
      'poison in the warehouse DLQ',
      async () => {
        const { Messages = [] } = await target.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageAttributeNames: ['All'], VisibilityTimeout: 1 }),
        );
        return Messages.length > 0 && Messages;
      },
      WAIT_MS,
    );
    expect(dead!.Body).toContain(`${run}-poison`);
    const reason = decodeDeadLetterReason(
      Object.fromEntries(Object.entries(dead!.MessageAttributes ?? {}).map(([k, a]) => [k, a.StringValue])),
    );
    expect(reason).toMatchObject({ kind: 'schema-validation', consumer: 'warehouse' });
    const alarmName = 'fanout-dev-warehouse-dlq';
    const diagnostics = () =>
      JSON.stringify({
        alarm: target.local?.alarms().find((a) => a.alarmName === alarmName),
        dlq: target.local?.queueGauges(dlqUrl),
      });
    await waitFor('DLQ alarm in ALARM', async () => (await target.alarmState(alarmName)) === 'ALARM', WAIT_MS).catch(
      (error: Error) => {
        throw new Error(`${error.message}: ${diagnostics()}`);
      },
    );
    await target.sqs.send(new PurgeQueueCommand({ QueueUrl: dlqUrl }));
    await waitFor('DLQ alarm back to OK', async () => (await target.alarmState(alarmName)) === 'OK', WAIT_MS);
  });
});
