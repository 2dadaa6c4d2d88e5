import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher } from '../../client/publisher.ts';
import { CLAIM_CHECK } from '../../contracts/claim-check.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import type { Topology } from '../../topology/types.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { intercept } from './support/intercept.ts';

/** The orders topic with a small MaximumMessageSize: the claim-check must follow it. */
const smallOrders = {
  ...fixtureTopology,
  topics: fixtureTopology.topics.map((t) => (t.name === 'orders' ? { ...t, maxMessageSizeBytes: 100_000 } : t)),
} as const satisfies Topology;

let stack: FauxqsStack;
const sent: { command: string; entries: Record<string, unknown>[] }[] = [];

beforeAll(async () => {
  stack = await startFauxqsStack(smallOrders);
  for (const client of [stack.clients.sqs, stack.clients.sns]) {
    intercept(client, async (command, input, send) => {
      const entries = (input.Entries ?? input.PublishBatchRequestEntries) as Record<string, unknown>[] | undefined;
      if (entries) sent.push({ command, entries });
      return send(input);
    });
  }
});
afterAll(() => stack?.stop());

const lastEntry = (command: string) =>
  sent
    .filter((s) => s.command === command)
    .at(-1)!
    .entries.at(-1)!;

describe('fair queues: the tenant as MessageGroupId on standard destinations', () => {
  it('sends tenantBy as MessageGroupId to the jobs work queue, and none without a tenant', async () => {
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: stack.source,
      clients: stack.clients,
    });
    try {
      await publisher.publish('TaskRequested', { jobId: 'j-1', kind: 'checksum', input: 'x', tenantId: 't-7' });
      expect(lastEntry('SendMessageBatchCommand').MessageGroupId).toBe('t-7');
      await publisher.publish('TaskRequested', { jobId: 'j-2', kind: 'checksum', input: 'y' });
      expect(lastEntry('SendMessageBatchCommand')).not.toHaveProperty('MessageGroupId');
      await publisher.publish('CartCancelled', { orderId: 'o-1', reason: 'r' });
      expect(lastEntry('PublishBatchCommand')).not.toHaveProperty('MessageGroupId');
      await publisher.publish('FundsCaptured', { paymentId: 'p-1', accountId: 'a-9', amountCents: 1 });
      expect(lastEntry('PublishBatchCommand').MessageGroupId).toBe('a-9');
    } finally {
      await publisher.close();
    }
  });
});

describe("claim-check threshold: the destination's configured limit", () => {
  it('stores a 150 KB payload for a topic limited to 100,000 bytes, and sends it inline to a 256 KiB topic', async () => {
    const reason = 'r'.repeat(150_000);
    const small = await createPublisher({ topology: smallOrders, target: stack.source, clients: stack.clients });
    try {
      await small.publish('CartCancelled', { orderId: 'o-big', reason });
      const entry = lastEntry('PublishBatchCommand');
      expect(String(entry.Message)).toContain(CLAIM_CHECK.attribute);
      expect((entry.MessageAttributes as Record<string, unknown>)[CLAIM_CHECK.attribute]).toEqual({
        DataType: 'String',
        StringValue: 'v1',
      });
    } finally {
      await small.close();
    }
    const standard = await createPublisher({
      topology: fixtureTopology,
      target: stack.source,
      clients: stack.clients,
    });
    try {
      await standard.publish('CartCancelled', { orderId: 'o-big-2', reason });
      expect(JSON.parse(String(lastEntry('PublishBatchCommand').Message))).toEqual({ orderId: 'o-big-2', reason });
    } finally {
      await standard.close();
    }
  });
});
