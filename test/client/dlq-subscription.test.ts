import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peekDeadLetters } from '../../client/dlq-peek.ts';
import { permanentFailures } from '../../client/dlq-permanent.ts';
import { purgeDeadLetters } from '../../client/dlq-purge.ts';
import { replayDeadLetters } from '../../client/dlq-replay.ts';
import { NoDeadLetterQueueError } from '../../client/errors.ts';
import { connectOperator, type OperatorContext } from '../../client/operator.ts';
import { DEAD_LETTER_ATTRIBUTE, encodeDeadLetterReason } from '../../contracts/dead-letter.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { drain } from '../support/drain.ts';

let stack: FauxqsStack;
let ops: OperatorContext;
beforeAll(async () => {
  stack = await startFauxqsStack();
  ops = await connectOperator({ topology: fixtureTopology, source: stack.source, clients: stack.clients });
});
afterAll(() => stack.stop());

/** What SNS puts in a subscription DLQ when it cannot deliver to the queue: the message as it would have been delivered. */
const undelivered = (orderId: string) =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: `sns-${orderId}`,
    TopicArn: stack.outputs[OUTPUT_KEYS.topicArn('orders')],
    Message: JSON.stringify({
      orderId,
      customerId: 'c',
      email: 'a@b.co',
      items: [{ sku: 's', quantity: 1 }],
      totalCents: 1,
    }),
    Timestamp: new Date().toISOString(),
    MessageAttributes: { eventType: { Type: 'String', Value: 'CartPlaced' } },
  });

describe('fanout dlq peek|replay reach the SNS subscription DLQs', () => {
  it('peeks the subscription DLQ of a subscriber, then replays its messages to the subscriber queue unchanged', async () => {
    const subDlq = stack.outputs[OUTPUT_KEYS.subscriptionDeadLetterQueueUrl('warehouse')]!;
    const bodies = ['o-1', 'o-2'].map(undelivered);
    for (const body of bodies)
      await stack.clients.sqs.send(new SendMessageCommand({ QueueUrl: subDlq, MessageBody: body }));

    const letters = await peekDeadLetters(ops, 'warehouse', 10, 'subscription');
    expect(letters.map((l) => l.payload).sort()).toEqual(bodies.map((b) => JSON.parse(b).Message).sort());
    expect(letters.every((l) => l.reason === undefined)).toBe(true);
    // The queue's own DLQ is another queue: empty.
    expect(await peekDeadLetters(ops, 'warehouse', 10)).toEqual([]);

    const result = await replayDeadLetters(ops, 'warehouse', { source: 'subscription' });
    expect(result).toMatchObject({ method: 'manual', moved: 2 });
    const moved = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('warehouse')]!);
    expect(moved.map((m) => m.Body).sort()).toEqual([...bodies].sort());
    expect(await drain(stack.clients.sqs, subDlq)).toEqual([]);
  });

  it('an at-most-once subscriber has a subscription DLQ too (SNS keeps what it could not deliver)', async () => {
    const subDlq = stack.outputs[OUTPUT_KEYS.subscriptionDeadLetterQueueUrl('analytics')]!;
    await stack.clients.sqs.send(new SendMessageCommand({ QueueUrl: subDlq, MessageBody: undelivered('o-3') }));
    expect(await peekDeadLetters(ops, 'analytics', 10, 'subscription')).toHaveLength(1);
  });

  it('a work queue has no subscription DLQ: one line naming it and the fix', async () => {
    const refusal = peekDeadLetters(ops, 'jobs', 10, 'subscription');
    await expect(refusal).rejects.toThrow(NoDeadLetterQueueError);
    await expect(refusal).rejects.toThrow(
      "'jobs' is a work queue: no SNS subscription, so no subscription DLQ. Leave out --subscription to peek its DLQ.",
    );
  });

  it('purges the subscription DLQ only, and the replay guard reads the DLQ the replay reads', async () => {
    const subDlq = stack.outputs[OUTPUT_KEYS.subscriptionDeadLetterQueueUrl('email')]!;
    const queueDlq = stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('email')]!;
    for (const orderId of ['o-4', 'o-5'])
      await stack.clients.sqs.send(new SendMessageCommand({ QueueUrl: subDlq, MessageBody: undelivered(orderId) }));
    // A schema-validation failure in the queue's DLQ: a replay of the subscription DLQ does not move it.
    const reason = encodeDeadLetterReason({
      kind: 'schema-validation',
      message: 'field orderId is missing',
      receiveCount: 1,
      consumer: 'email',
      originalMessageId: 'm-1',
      deadLetteredAt: new Date().toISOString(),
    });
    await stack.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: queueDlq,
        MessageBody: '{}',
        MessageAttributes: { [DEAD_LETTER_ATTRIBUTE]: { DataType: 'String', StringValue: reason } },
      }),
    );
    expect(await permanentFailures(ops, 'email')).toEqual({ 'schema-validation': 1 });
    expect(await permanentFailures(ops, 'email', { source: 'subscription' })).toEqual({});

    expect(await purgeDeadLetters(ops, 'email', { source: 'subscription' })).toEqual({
      purged: 2,
      arrivedDuringPurge: 0,
      failed: [],
    });
    expect(await drain(stack.clients.sqs, subDlq)).toEqual([]);
    expect((await drain(stack.clients.sqs, queueDlq)).map((m) => m.Body)).toEqual(['{}']);
  });

  it('a work queue has no subscription DLQ to purge either', async () => {
    await expect(purgeDeadLetters(ops, 'jobs', { source: 'subscription' })).rejects.toThrow(
      "'jobs' is a work queue: no SNS subscription, so no subscription DLQ. Leave out --subscription to purge its DLQ.",
    );
  });
});
