import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import { peekDeadLetters } from '../../client/dlq-peek.ts';
import { replayDeadLetters } from '../../client/dlq-replay.ts';
import { connectOperator, type OperatorContext } from '../../client/operator.ts';
import { createPublisher } from '../../client/publisher.ts';
import { queueAttributes } from '../../client/sqs-util.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { exhaustToDlq } from './support/dead-letter.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { drain } from '../support/drain.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

let stack: FauxqsStack;
let ops: OperatorContext;
const depth = async (url: string) =>
  Number((await queueAttributes(stack.clients.sqs, url, ['ApproximateNumberOfMessages'])).ApproximateNumberOfMessages);

beforeEach(async () => {
  stack = await startFauxqsStack();
  ops = await connectOperator({ topology: fixtureTopology, source: stack.source, clients: stack.clients });
});
afterEach(() => stack.stop());

async function deadLetterOrders(count: number) {
  const publisher = await createPublisher({
    topology: fixtureTopology,
    target: stack.source,
    clients: stack.clients,
  });
  for (let i = 0; i < count; i++) {
    const order = {
      orderId: `o-${i}`,
      customerId: `c-${i % 2}`,
      email: 'a@b.co',
      items: [{ sku: 's', quantity: 1 }],
      totalCents: i,
    };
    await publisher.publish('CartPlaced', order, { correlationId: `corr-${i}`, attributes: { tenant: `t-${i % 2}` } });
  }
  await publisher.close();
  await exhaustToDlq(
    stack.clients.sqs,
    stack.outputs[OUTPUT_KEYS.queueUrl('warehouse')]!,
    stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('warehouse')]!,
    count,
  );
}

describe('dlq peek', () => {
  it('shows dead letters with their attributes and leaves them in the DLQ', async () => {
    await deadLetterOrders(4);
    const letters = await peekDeadLetters(ops, 'warehouse', 3);
    expect(letters).toHaveLength(3);
    expect(letters[0]).toMatchObject({ eventType: 'CartPlaced', groupId: undefined });
    expect(letters[0]!.attributes).toMatchObject({
      eventType: 'CartPlaced',
      tenant: expect.stringMatching(/^t-[01]$/),
    });
    expect(JSON.parse(letters[0]!.payload).orderId).toMatch(/^o-\d$/);
    expect(await depth(stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('warehouse')]!)).toBe(4);
    // Peeking twice shows the same messages again: nothing was consumed.
    expect((await peekDeadLetters(ops, 'warehouse', 10)).map((l) => l.messageId).sort()).toHaveLength(4);
  });

  it("shows the consumer runtime's failure reason, and replay sends the message back without it", async () => {
    await stack.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('jobs')],
        MessageBody: JSON.stringify({ jobId: 'j-1', kind: 'checksum', input: 'x' }),
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: 'TaskRequested' },
          idempotencyKey: { DataType: 'String', StringValue: 'k-1' },
          // The first release's five reason attributes (still read and stripped); see dlq-reason.test.ts for the current one.
          fanoutErrorKind: { DataType: 'String', StringValue: 'permanent' },
          fanoutErrorMessage: { DataType: 'String', StringValue: 'input too short' },
          fanoutConsumer: { DataType: 'String', StringValue: 'jobs' },
        },
      }),
    );
    const [letter] = await peekDeadLetters(ops, 'jobs');
    expect(letter!.reason).toEqual({ kind: 'permanent', message: 'input too short', consumer: 'jobs' });
    // A permanent failure: replaying it takes force (see dlq-purge.test.ts for the refusal).
    expect((await replayDeadLetters(ops, 'jobs', { force: true })).moved).toBe(1);
    const [back] = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!, { max: 1 });
    expect(Object.keys(back!.MessageAttributes!).sort()).toEqual(['eventType', 'idempotencyKey']);
  });

  it('an unknown subscriber lists the valid ones', async () => {
    await expect(peekDeadLetters(ops, 'shipping')).rejects.toThrow(
      "Unknown subscriber 'shipping'. Valid subscribers: inventory, email, warehouse, analytics, ledger, audit, jobs.",
    );
  });

  it('an at-most-once subscriber has no DLQ', async () => {
    await expect(peekDeadLetters(ops, 'analytics')).rejects.toThrow(
      "Subscriber 'analytics' is at-most-once and has no DLQ: failed messages are dropped, not kept.",
    );
  });
});

describe('dlq replay', () => {
  it('without a filter detects that fauxqs lacks StartMessageMoveTask and moves every message manually', async () => {
    await deadLetterOrders(25);
    const progress: number[] = [];
    const result = await replayDeadLetters(ops, 'warehouse', { onProgress: (p) => progress.push(p.moved) });
    expect(result).toMatchObject({ method: 'manual', moved: 25, skipped: 0, failed: [] });
    expect(result.notes).toEqual([
      'StartMessageMoveTask is not supported by this endpoint; moved manually (receive, send, delete)',
    ]);
    expect(progress.at(-1)).toBe(25);
    expect(await depth(stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('warehouse')]!)).toBe(0);
    const back = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('warehouse')]!);
    expect(back.map((m) => JSON.parse(JSON.parse(m.Body!).Message).orderId).sort()).toEqual(
      Array.from({ length: 25 }, (_, i) => `o-${i}`).sort(),
    );
  });

  it('with a filter moves only the matching messages and keeps the rest in the DLQ', async () => {
    await deadLetterOrders(10);
    const result = await replayDeadLetters(ops, 'warehouse', { filter: 'attr.tenant=t-1,body.totalCents!=9' });
    expect(result).toMatchObject({ method: 'manual', moved: 4, skipped: 6 });
    expect(await depth(stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('warehouse')]!)).toBe(6);
    const back = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('warehouse')]!);
    expect(back.map((m) => JSON.parse(JSON.parse(m.Body!).Message).orderId).sort()).toEqual([
      'o-1',
      'o-3',
      'o-5',
      'o-7',
    ]);
  });

  it('moves each message once even when replayed messages fail again and come straight back', async () => {
    for (let i = 0; i < 3; i++) {
      await stack.clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('jobs')],
          MessageBody: `{"n":${i}}`,
        }),
      );
    }
    // A consumer that dead-letters everything it receives, as the runtime does with a poison message.
    let echoed = 0;
    let replaying = true;
    const consumer = (async () => {
      while (replaying || echoed < 3) {
        const got = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!, {
          max: 10,
          quietReceives: 1,
        });
        for (const m of got) {
          await stack.clients.sqs.send(
            new SendMessageCommand({
              QueueUrl: stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('jobs')],
              MessageBody: m.Body!,
            }),
          );
          echoed++;
        }
      }
    })();
    const result = await replayDeadLetters(ops, 'jobs', { ratePerSecond: 5 });
    replaying = false;
    await consumer;
    expect(result.moved).toBe(3);
    expect(echoed).toBe(3);
    expect(await depth(stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('jobs')]!)).toBe(3);
  });

  it('--max moves at most that many', async () => {
    await deadLetterOrders(12);
    const result = await replayDeadLetters(ops, 'warehouse', { max: 5 });
    expect(result.moved).toBe(5);
    expect(await depth(stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('warehouse')]!)).toBe(7);
  });

  it('keeps FIFO group order, and keeps a group in the DLQ from its first non-matching message on', async () => {
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: stack.source,
      clients: stack.clients,
    });
    for (let i = 0; i < 12; i++) {
      await publisher.publish('FundsCaptured', {
        paymentId: `p-${i}`,
        accountId: `acct-${i % 3}`,
        amountCents: i + 1,
      });
    }
    await publisher.close();
    await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('audit')]!);
    await exhaustToDlq(
      stack.clients.sqs,
      stack.outputs[OUTPUT_KEYS.queueUrl('ledger')]!,
      stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('ledger')]!,
      12,
    );
    // acct-1's third payment (p-7) does not match: p-7 and p-10 must stay behind it.
    const result = await replayDeadLetters(ops, 'ledger', { filter: 'body.paymentId!=p-7' });
    expect(result).toMatchObject({ moved: 10, skipped: 1, failed: [] });
    const back = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('ledger')]!, {
      max: 10,
      quietReceives: 30,
    });
    const order = (account: string) =>
      back
        .map((m) => JSON.parse(JSON.parse(m.Body!).Message))
        .filter((p) => p.accountId === account)
        .map((p) => p.paymentId);
    expect(order('acct-0')).toEqual(['p-0', 'p-3', 'p-6', 'p-9']);
    expect(order('acct-1')).toEqual(['p-1', 'p-4']);
    expect(order('acct-2')).toEqual(['p-2', 'p-5', 'p-8', 'p-11']);
    expect(await depth(stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('ledger')]!)).toBe(2);
    expect((await peekDeadLetters(ops, 'ledger', 10)).map((l) => JSON.parse(l.payload).paymentId)[0]).toBe('p-7');
  });

  it('refuses a filter it cannot parse before touching the DLQ', async () => {
    await expect(replayDeadLetters(ops, 'warehouse', { filter: 'tenant is t-1' })).rejects.toThrow(
      "Filter condition 'tenant is t-1' is not understood. Fix: write <field>=<value>, <field>!=<value> or <field>~<substring> " +
        "with field eventType, attr.<name> or body.<path>, e.g. 'eventType=OrderPlaced,body.accountId=a-1'.",
    );
  });
});
