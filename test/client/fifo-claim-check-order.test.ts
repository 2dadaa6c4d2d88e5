import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMessageBody } from '../../client/claim-check.ts';
import { createPublisher } from '../../client/publisher.ts';
import type { Topology } from '../../topology/types.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { drain } from '../support/drain.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

const topology = {
  name: 'notes',
  events: { Note: { schema: v.object({ group: v.string(), seq: v.number(), text: v.string() }), groupBy: 'group' } },
  topics: [
    {
      name: 'notes',
      fifo: true,
      contentBasedDeduplication: true,
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

describe('FIFO order with a claim-checked message', () => {
  it('a small message published after a large one waits for its upload and keeps its place', async () => {
    const publisher = await createPublisher({ topology, target: stack.source, clients: stack.clients, lingerMs: 0 });
    const texts = ['x'.repeat(400_000), 'second', 'third', 'y'.repeat(300_000), 'fifth'];
    await Promise.all(texts.map((text, seq) => publisher.publish('Note', { group: 'g', seq, text })));
    await publisher.close();
    const messages = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('archive')]!, {
      max: 5,
      quietReceives: 5,
    });
    const notes = await Promise.all(
      messages.map(async (m) => JSON.parse(await resolveMessageBody(stack.clients.s3, m.Body!, m.MessageAttributes))),
    );
    expect(notes.map((n) => n.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(notes.map((n) => n.text.length)).toEqual([400_000, 6, 5, 300_000, 5]);
    expect(messages.map((m) => m.MessageAttributes?.fanoutClaimCheck?.StringValue)).toEqual([
      'v1',
      undefined,
      undefined,
      'v1',
      undefined,
    ]);
  });
});
