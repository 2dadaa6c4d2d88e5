import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PayloadTooLargeError } from '../../client/errors.ts';
import { createPublisher } from '../../client/publisher.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { drain } from '../support/drain.ts';

// A message that cannot fit even after the claim-check (its attributes alone, or its attributes with
// the pointer) is refused before anything is uploaded, instead of staying pending forever.
let stack: FauxqsStack;
beforeAll(async () => {
  stack = await startFauxqsStack();
});
afterAll(() => stack.stop());

const storedObjects = async () =>
  (await stack.clients.s3.send(new ListObjectsV2Command({ Bucket: stack.outputs[OUTPUT_KEYS.payloadBucketName] })))
    .KeyCount ?? 0;

const publisherFor = () =>
  createPublisher({ topology: fixtureTopology, target: stack.source, clients: stack.clients, lingerMs: 0 });

describe('a message that can never fit', () => {
  it('attributes alone over the limit: rejected with the reason, nothing uploaded, close() returns', async () => {
    const publisher = await publisherFor();
    const outcome = publisher.publish(
      'CartCancelled',
      { orderId: 'o-attr', reason: 'r'.repeat(10_000) },
      { attributes: { note: 'n'.repeat(300_000) }, correlationId: 'c-attr' },
    );
    await expect(outcome).rejects.toThrow(PayloadTooLargeError);
    await expect(outcome).rejects.toThrow(
      /^'CartCancelled' to SNS topic 'orders' cannot fit: its attributes alone are 300\d{3} bytes \(largest: 'note', 300000\); the topic accepts at most 262144 per message, and a claim-check moves only the payload\. Fix: move large values from the attributes into the payload\.$/,
    );
    await publisher.close();
    expect(await storedObjects()).toBe(0);
  });

  it('attributes that fit only without the pointer: re-checked after the claim-check, nothing uploaded', async () => {
    const publisher = await publisherFor();
    // About 262,000 bytes of attributes fit alone, but the 300 KB payload must be claim-checked, and the
    // pointer body plus its marker attribute take the message over 262,144 bytes.
    const outcome = publisher.publish(
      'CartCancelled',
      { orderId: 'o-ptr', reason: 'r'.repeat(300_000) },
      { attributes: { note: 'n'.repeat(261_950) }, correlationId: 'c-ptr' },
    );
    await expect(outcome).rejects.toThrow(
      /^'CartCancelled' to SNS topic 'orders' cannot fit: with its payload claim-checked it is still \d+ bytes \(attributes \d+, pointer body \d+\); the topic accepts at most 262144 per message\. Fix: move large values from the attributes into the payload\.$/,
    );
    await publisher.close();
    expect(await storedObjects()).toBe(0);
  });

  it("FIFO: the group's later messages are rejected with the reason; other groups are sent", async () => {
    const publisher = await publisherFor();
    const pay = (paymentId: string, accountId: string, attributes?: Record<string, string>) =>
      publisher.publish(
        'FundsCaptured',
        { paymentId, accountId, amountCents: 10 },
        { correlationId: paymentId, ...(attributes ? { attributes } : {}) },
      );
    const results = await Promise.allSettled([
      pay('p-1', 'a-big', { note: 'n'.repeat(300_000) }),
      pay('p-2', 'a-big'),
      pay('p-3', 'a-other'),
    ]);
    await publisher.close();
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(PayloadTooLargeError);
    const later = (results[1] as PromiseRejectedResult).reason as Error;
    expect(later.message).toBe(
      "'FundsCaptured' to topic 'payments' (correlationId p-2) was not sent: an earlier message of FIFO group 'a-big' failed, " +
        "and sending this one would break the group's order. Fix: resolve the first failure, then publish again.",
    );
    expect(later.cause).toBe((results[0] as PromiseRejectedResult).reason);
    const ledger = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('ledger')]!, {
      max: 3,
      quietReceives: 3,
    });
    // ledger is subscribed without raw delivery: the payload is the SNS envelope's Message.
    expect(ledger.map((m) => JSON.parse(JSON.parse(m.Body!).Message).paymentId)).toEqual(['p-3']);
    await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('audit')]!);
    expect(await storedObjects()).toBe(0);
  });
});
