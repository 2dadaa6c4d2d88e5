import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pullDeadLetters } from '../../client/dlq-pull.ts';
import { connectOperator, type OperatorContext } from '../../client/operator.ts';
import { createPublisher } from '../../client/publisher.ts';
import { queueAttributes } from '../../client/sqs-util.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { exhaustToDlq } from './support/dead-letter.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';

let stack: FauxqsStack;
let ops: OperatorContext;
const depth = async (url: string) =>
  Number((await queueAttributes(stack.clients.sqs, url, ['ApproximateNumberOfMessages'])).ApproximateNumberOfMessages);

beforeEach(async () => {
  stack = await startFauxqsStack();
  ops = await connectOperator({ topology: fixtureTopology, source: stack.source, clients: stack.clients });
});
afterEach(() => stack.stop());

const order = (orderId: string, note = '') => ({
  orderId,
  customerId: `c-${note.length}`,
  email: 'ann@shop.io',
  items: [{ sku: `s-${note}`, quantity: 1 }],
  totalCents: 5,
});

describe('dlq pull (the local cloud or any SQS endpoint)', () => {
  it('reads an SNS-delivered, a claim-checked and a FIFO dead letter with their envelope, and leaves them in the DLQ', async () => {
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: stack.source,
      clients: stack.clients,
    });
    const big = order('o-big', 'x'.repeat(300_000));
    await publisher.publish('CartPlaced', order('o-1'), { correlationId: 'corr-1' });
    await publisher.publish('CartPlaced', big);
    await publisher.publish('FundsCaptured', { paymentId: 'p-1', accountId: 'a-1', amountCents: 9 });
    await publisher.close();
    const url = (key: (name: string) => string, name: string) => stack.outputs[key(name)]!;
    await exhaustToDlq(
      stack.clients.sqs,
      url(OUTPUT_KEYS.queueUrl, 'warehouse'),
      url(OUTPUT_KEYS.deadLetterQueueUrl, 'warehouse'),
      2,
    );
    await exhaustToDlq(
      stack.clients.sqs,
      url(OUTPUT_KEYS.queueUrl, 'ledger'),
      url(OUTPUT_KEYS.deadLetterQueueUrl, 'ledger'),
      1,
    );

    const { file, redactedCounts } = await pullDeadLetters(ops, 'warehouse', { redact: ['email', 'items.sku'] });
    expect(redactedCounts).toEqual({ email: 2, 'items.sku': 2 });
    expect(file.header).toMatchObject({
      consumer: 'warehouse',
      fifo: false,
      count: 2,
      redacted: ['email', 'items.sku'],
    });
    const [small, large] = [...file.records].sort((a, b) => a.payload.length - b.payload.length);
    expect(JSON.parse(small!.payload)).toEqual({
      ...order('o-1'),
      email: 'xxx@xxxx.xx',
      items: [{ sku: 'x-', quantity: 1 }],
    });
    expect(small!.snsEnvelope).toMatchObject({
      Type: 'Notification',
      MessageAttributes: { correlationId: { Value: 'corr-1' } },
    });
    expect(small!.claimCheck).toBeUndefined();
    expect(large!.claimCheck?.bucket).toBe(stack.outputs[OUTPUT_KEYS.payloadBucketName]);
    expect(JSON.parse(large!.payload).orderId).toBe('o-big');
    expect(JSON.parse(large!.payload).items[0].sku).toBe(`x-${'x'.repeat(300_000)}`);
    expect(await depth(url(OUTPUT_KEYS.deadLetterQueueUrl, 'warehouse'))).toBe(2);

    const ledger = await pullDeadLetters(ops, 'ledger');
    expect(ledger.file.header).toMatchObject({ consumer: 'ledger', fifo: true, count: 1, redacted: [] });
    expect(ledger.file.records[0]!.systemAttributes.MessageGroupId).toBe('a-1');
    expect(ledger.file.records[0]!.systemAttributes.MessageDeduplicationId).toMatch(/.+/);
    expect(ledger.file.records[0]!.eventType).toBe('FundsCaptured');
  });

  it('names the consumer and the rule when it has no DLQ', async () => {
    await expect(pullDeadLetters(ops, 'analytics')).rejects.toThrow(
      "Subscriber 'analytics' is at-most-once and has no DLQ: failed messages are dropped, not kept.",
    );
  });
});
