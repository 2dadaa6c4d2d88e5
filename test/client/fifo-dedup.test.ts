import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, type Publisher } from '../../client/publisher.ts';
import { fifoDeduplicationId } from '../../contracts/message-identity.ts';
import type { Topology } from '../../topology/types.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { drain } from '../support/drain.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

// A FIFO topic without content-based deduplication and a FIFO work queue: the publisher supplies the dedup id.
const Transfer = v.object({ account: v.string(), cents: v.number() });
const topology = {
  name: 'bank',
  events: { Transfer: { schema: Transfer, groupBy: 'account' }, Audit: { schema: Transfer, groupBy: 'account' } },
  topics: [
    {
      name: 'transfers',
      fifo: true,
      events: ['Transfer'],
      producerKeyAttribute: 'transferKey',
      subscriptions: [{ name: 'book', rawDelivery: true, consumer: { handler: 'none' } }],
    },
  ],
  workQueues: [{ name: 'audit-jobs', fifo: true, events: ['Audit'], consumer: { handler: 'none' } }],
} as const satisfies Topology;

let stack: FauxqsStack;
let publisher: Publisher<typeof topology>;
beforeAll(async () => {
  stack = await startFauxqsStack(topology);
  publisher = await createPublisher({ topology, target: stack.source, clients: stack.clients });
});
afterAll(async () => {
  await publisher.close();
  await stack.stop();
});

describe('FIFO deduplication ids', () => {
  it('without a key, each publish() call is its own message: a key is minted and the dedup id derived from it', async () => {
    await publisher.publish('Transfer', { account: 'a', cents: 5 });
    await publisher.publish('Transfer', { account: 'a', cents: 5 });
    const got = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('book')]!, {
      max: 2,
      quietReceives: 3,
    });
    const keys = got.map((m) => m.MessageAttributes!.transferKey!.StringValue!);
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys.every((k) => /^[0-9a-f-]{36}$/.test(k))).toBe(true);
    expect(got.map((m) => m.Attributes!.MessageDeduplicationId)).toEqual(
      keys.map((k) => fifoDeduplicationId('Transfer', k, { account: 'a', cents: 5 })),
    );
  });

  it('with idempotency keys, equal payloads with different keys are two messages; the key is the producer attribute and makes the dedup id with the payload', async () => {
    await publisher.publish('Transfer', { account: 'b', cents: 5 }, { idempotencyKey: 'tx-1' });
    await publisher.publish('Transfer', { account: 'b', cents: 5 }, { idempotencyKey: 'tx-2' });
    await publisher.publish('Transfer', { account: 'b', cents: 5 }, { idempotencyKey: 'tx-2' });
    const got = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('book')]!, {
      max: 3,
      quietReceives: 3,
    });
    expect(got.map((m) => m.Attributes!.MessageDeduplicationId)).toEqual(
      ['tx-1', 'tx-2'].map((k) => fifoDeduplicationId('Transfer', k, { account: 'b', cents: 5 })),
    );
    expect(got.map((m) => m.MessageAttributes!.transferKey!.StringValue)).toEqual(['tx-1', 'tx-2']);
  });

  it('a FIFO work queue gets the group from groupBy and the dedup id from the event type and key', async () => {
    await publisher.publish('Audit', { account: 'c', cents: 1 }, { idempotencyKey: 'audit-1' });
    const [m] = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('audit-jobs')]!, { max: 1 });
    expect(m!.Attributes).toMatchObject({
      MessageGroupId: 'c',
      MessageDeduplicationId: fifoDeduplicationId('Audit', 'audit-1', { account: 'c', cents: 1 }),
    });
    expect(m!.MessageAttributes!.idempotencyKey!.StringValue).toBe('audit-1');
  });
});
