import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMessageBody, s3FetchObject } from '../../client/claim-check.ts';
import { createPublisher, type Publisher } from '../../client/publisher.ts';
import { CLAIM_CHECK, readClaimCheckPointer, resolveClaimCheck } from '../../contracts/claim-check.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { drain } from '../support/drain.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

let stack: FauxqsStack;
let publisher: Publisher<typeof fixtureTopology>;
const reason = 'r'.repeat(300_000);

beforeAll(async () => {
  stack = await startFauxqsStack();
  publisher = await createPublisher({ topology: fixtureTopology, target: stack.source });
});
afterAll(async () => {
  await publisher.close();
  await stack.stop();
});

describe('claim-check', () => {
  it('stores a payload over the SNS limit in the payload bucket and delivers a pointer both subscribers resolve', async () => {
    await publisher.publish('CartCancelled', { orderId: 'o-big', reason }, { idempotencyKey: 'k-big' });

    // inventory: SNS envelope; the marker is an envelope attribute next to eventType and the key.
    const [enveloped] = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('inventory')]!, { max: 1 });
    const envelope = JSON.parse(enveloped!.Body!);
    expect(envelope.MessageAttributes[CLAIM_CHECK.attribute].Value).toBe('v1');
    expect(envelope.MessageAttributes.eventType.Value).toBe('CartCancelled');
    expect(envelope.MessageAttributes.idempotencyKey.Value).toBe('k-big');
    const pointer = readClaimCheckPointer(envelope.Message, envelope.MessageAttributes[CLAIM_CHECK.attribute].Value)!;
    expect(pointer.bucket).toBe('fanout-dev-payloads');
    expect(pointer.key).toMatch(/^claim-check\/CartCancelled\/[0-9a-f-]{36}\.json$/);
    expect(pointer.size).toBe(JSON.stringify({ orderId: 'o-big', reason }).length);
    const resolved = await resolveClaimCheck(
      envelope.Message,
      envelope.MessageAttributes[CLAIM_CHECK.attribute].Value,
      s3FetchObject(stack.clients.s3),
    );
    expect(JSON.parse(resolved)).toEqual({ orderId: 'o-big', reason });

    // analytics: raw delivery; the marker is an SQS message attribute.
    const [raw] = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('analytics')]!, { max: 1 });
    expect(raw!.Body!.length).toBeLessThan(400);
    expect(JSON.parse(await resolveMessageBody(stack.clients.s3, raw!.Body!, raw!.MessageAttributes))).toEqual({
      orderId: 'o-big',
      reason,
    });
  });

  it('leaves a message under the limit inline', async () => {
    await publisher.publish('CartCancelled', { orderId: 'o-small', reason: 'changed mind' });
    const [raw] = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('analytics')]!, { max: 1 });
    expect(raw!.MessageAttributes![CLAIM_CHECK.attribute]).toBeUndefined();
    expect(await resolveMessageBody(stack.clients.s3, raw!.Body!, raw!.MessageAttributes)).toBe(raw!.Body);
    await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('inventory')]!);
  });

  it('refuses a stored object that no longer matches its pointer', async () => {
    await publisher.publish('CartCancelled', { orderId: 'o-tamper', reason });
    const [raw] = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('analytics')]!, { max: 1 });
    const pointer = readClaimCheckPointer(raw!.Body!, 'v1')!;
    await stack.clients.s3.send(
      new PutObjectCommand({ Bucket: pointer.bucket, Key: pointer.key, Body: '{"truncated":' }),
    );
    await expect(resolveMessageBody(stack.clients.s3, raw!.Body!, raw!.MessageAttributes)).rejects.toThrow(
      `Claim-check object s3://${pointer.bucket}/${pointer.key} does not match its pointer (size 13, expected ${pointer.size}; or SHA-256 differs).`,
    );
    await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('inventory')]!);
  });

  it('with claimCheck: false an oversized payload is refused with the fix', async () => {
    const strict = await createPublisher({ topology: fixtureTopology, target: stack.source, claimCheck: false });
    await expect(strict.publish('CartCancelled', { orderId: 'o', reason })).rejects.toThrow(
      /SNS topic 'orders' accepts at most 262144\. Fix: enable the claim-check \(claimCheck: true\) or shrink the payload\.$/,
    );
    await strict.close();
  });
});
