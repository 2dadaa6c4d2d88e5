import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher } from '../../client/publisher.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import type { Topology } from '../../topology/types.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { intercept } from './support/intercept.ts';

// A message whose claim-check was stored but that is never sent (here: an earlier message of its FIFO
// group failed) must not leave its payload in the bucket, pointing nowhere.
const topology = {
  name: 'notes',
  events: { Note: { schema: v.object({ group: v.string(), text: v.string() }), groupBy: 'group' } },
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

describe('a claim-checked message that is never sent', () => {
  it('has its stored payload deleted before its publish settles', async () => {
    // The first note's upload fails only once the second note's upload is stored, so the second is
    // rejected with its group after its payload reached the bucket.
    let secondStored!: () => void;
    const stored = new Promise<void>((resolve) => {
      secondStored = resolve;
    });
    intercept(stack.clients.s3 as never, async (command, input, send) => {
      if (command !== 'PutObjectCommand') return send(input);
      if (String(input.Body).includes('first')) {
        await stored;
        throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
      }
      const result = await send(input);
      secondStored();
      return result;
    });
    const publisher = await createPublisher({ topology, target: stack.source, clients: stack.clients, lingerMs: 0 });
    const results = await Promise.allSettled([
      publisher.publish('Note', { group: 'g', text: `first${'x'.repeat(300_000)}` }),
      publisher.publish('Note', { group: 'g', text: `second${'y'.repeat(300_000)}` }),
    ]);
    await publisher.close();
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).name : r.status))).toEqual([
      'AccessDenied',
      'PublishFailedError',
    ]);
    const objects = await stack.clients.s3.send(
      new ListObjectsV2Command({ Bucket: stack.outputs[OUTPUT_KEYS.payloadBucketName] }),
    );
    expect(objects.KeyCount ?? 0).toBe(0);
  });
});
