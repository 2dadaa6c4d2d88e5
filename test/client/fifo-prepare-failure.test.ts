import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher } from '../../client/publisher.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import type { Topology } from '../../topology/types.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { drain } from '../support/drain.ts';

const topology = {
  name: 'notes',
  events: { Note: { schema: v.object({ group: v.string(), seq: v.number(), text: v.string() }), groupBy: 'group' } },
  topics: [
    {
      name: 'notes',
      fifo: true,
      events: ['Note'],
      subscriptions: [{ name: 'archive', rawDelivery: true, consumer: { handler: 'none' } }],
    },
  ],
} as const satisfies Topology;

let stack: FauxqsStack;
beforeAll(async () => {
  stack = await startFauxqsStack(topology);
});
afterAll(() => stack.stop());

describe('FIFO: a message that fails before it is sent stops the rest of its group', () => {
  it('a failed claim-check upload fails the later messages of its group; other groups go on', async () => {
    // The outputs name a payload bucket that does not exist: the upload of the large message fails.
    const outputs = { ...stack.outputs, [OUTPUT_KEYS.payloadBucketName]: 'no-such-bucket' };
    const publisher = await createPublisher({
      topology,
      target: { kind: 'static', outputs, connection: stack.connection },
      clients: stack.clients,
      lingerMs: 0,
    });
    const note = (group: string, seq: number, text: string) =>
      publisher.publish('Note', { group, seq, text }, { correlationId: `${group}-${seq}` });
    const results = await Promise.allSettled([
      note('g', 0, 'x'.repeat(300_000)),
      note('g', 1, 'small'),
      note('h', 0, 'other'),
      note('g', 2, 'last'),
    ]);
    await publisher.close();
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason.name).toBe('NoSuchBucket');
    for (const seq of [1, 2]) {
      expect((results[seq === 1 ? 1 : 3] as PromiseRejectedResult).reason.message).toBe(
        `'Note' to topic 'notes' (correlationId g-${seq}) was not sent: an earlier message of FIFO group 'g' failed, ` +
          "and sending this one would break the group's order. Fix: resolve the first failure, then publish again.",
      );
    }
    const delivered = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('archive')]!, {
      max: 4,
      quietReceives: 3,
    });
    expect(delivered.map((m) => JSON.parse(m.Body!))).toEqual([{ group: 'h', seq: 0, text: 'other' }]);
  });

  it('messages of the group published before the failed one are still sent', async () => {
    const outputs = { ...stack.outputs, [OUTPUT_KEYS.payloadBucketName]: 'no-such-bucket' };
    const publisher = await createPublisher({
      topology,
      target: { kind: 'static', outputs, connection: stack.connection },
      clients: stack.clients,
      lingerMs: 50,
    });
    const note = (seq: number, text: string) =>
      publisher.publish('Note', { group: 'e', seq, text }, { correlationId: `e-${seq}` });
    const results = await Promise.allSettled([note(0, 'first'), note(1, 'x'.repeat(300_000)), note(2, 'after')]);
    await publisher.close();
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    const delivered = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('archive')]!, {
      max: 3,
      quietReceives: 3,
    });
    expect(delivered.map((m) => JSON.parse(m.Body!))).toEqual([{ group: 'e', seq: 0, text: 'first' }]);
  });
});
