import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, type Publisher } from '../../client/publisher.ts';
import { PUBLISHED_ATTRIBUTES_MAX } from '../../contracts/dead-letter.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { drain } from '../support/drain.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

// The publisher sets eventType, correlationId and the key itself; the rest is the caller's.
let stack: FauxqsStack;
let publisher: Publisher<typeof fixtureTopology>;
const job = { jobId: 'j-1', kind: 'checksum' as const, input: 'x' };
const userAttributes = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`a${i}`, 'v']));
const names = (count: number) =>
  ['eventType', 'correlationId', 'idempotencyKey', ...Object.keys(userAttributes(count))].join(', ');

beforeAll(async () => {
  stack = await startFauxqsStack();
  publisher = await createPublisher({ topology: fixtureTopology, target: stack.source, clients: stack.clients });
});
afterAll(async () => {
  await publisher.close();
  await stack.stop();
});

describe('attribute budget: one of the 10 attributes stays free for the dead-letter reason', () => {
  it(`sends ${PUBLISHED_ATTRIBUTES_MAX} attributes, the publisher's own included`, async () => {
    await publisher.publish('TaskRequested', job, { attributes: userAttributes(6) });
    const [m] = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!, { max: 1 });
    expect(Object.keys(m!.MessageAttributes!)).toHaveLength(PUBLISHED_ATTRIBUTES_MAX);
  });

  it('refuses a tenth and says why the slot is kept', async () => {
    await expect(publisher.publish('TaskRequested', job, { attributes: userAttributes(7) })).rejects.toHaveProperty(
      'message',
      "A message may carry at most 9 attributes, the publisher's own included (SNS and SQS allow 10; one is kept free for " +
        `the reason the consumer runtime attaches when it dead-letters the message); this one has 10 (${names(7)}). ` +
        'Fix: drop 1 or move them into the payload.',
    );
  });

  it('counts the claim-check marker a large payload needs, before uploading anything', async () => {
    const big = { orderId: 'o-1', reason: 'r'.repeat(300_000) };
    await expect(publisher.publish('CartCancelled', big, { attributes: userAttributes(6) })).rejects.toThrow(
      /^A message may carry at most 9 attributes, .*; this one has 10 with the claim-check marker its 300\d{3} bytes need \(.*, a5, fanoutClaimCheck\)\. Fix: drop 1 or move them into the payload\.$/,
    );
    const listed = await stack.clients.s3.send(new ListObjectsV2Command({ Bucket: stack.outputs.PayloadBucketName }));
    expect(listed.KeyCount ?? 0).toBe(0);
  });

  it('refuses attribute names the dead-letter reason uses', async () => {
    await expect(publisher.publish('TaskRequested', job, { attributes: { fanoutDeadLetter: 'x' } })).rejects.toThrow(
      "Message attribute 'fanoutDeadLetter' is reserved for the reason the consumer runtime attaches when it dead-letters a message " +
        '(a DLQ replay removes it). Fix: rename the attribute.',
    );
  });
});
