import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, type Publisher } from '../../client/publisher.ts';
import { loadStackOutputs } from '../../client/stack-outputs.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { drain } from '../support/drain.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

let stack: FauxqsStack;
let publisher: Publisher<typeof fixtureTopology>;
const payment = { paymentId: 'p-1', accountId: 'a-1', amountCents: 10 };

beforeAll(async () => {
  stack = await startFauxqsStack(fixtureTopology, 'dev', { payloadBucket: false });
  publisher = await createPublisher({ topology: fixtureTopology, target: stack.source });
});
afterAll(async () => {
  await publisher.close();
  await stack.stop();
});

describe('bad input is refused before anything is sent', () => {
  it('unknown event type names the valid ones', async () => {
    await expect(publisher.publish('OrderLost' as 'CartPlaced', {} as never)).rejects.toThrow(
      "Unknown event type 'OrderLost': topology 'fanout' declares CartPlaced, CartCancelled, CartShipped, FundsCaptured, FundsRefunded, TaskRequested. Fix: use one of them or add it to the topology's events.",
    );
  });

  it('a payload failing its schema names the field and the rule', async () => {
    const error = await publisher
      .publish('CartShipped', { orderId: 'o-1', email: 'not-an-email', carrier: 'ups', trackingId: 't' })
      .catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'PayloadValidationError' });
    expect((error as Error).message).toBe(
      "Payload of event type 'CartShipped' is invalid: field 'email' breaks rule 'email' (Invalid email: Received \"not-an-email\"). " +
        "Fix: send a payload that satisfies the 'CartShipped' schema in the topology.",
    );
  });

  it('a nested field is named by its path', async () => {
    const bad = { orderId: 'o', customerId: 'c', email: 'a@b.co', items: [{ sku: 's', quantity: 0 }], totalCents: 1 };
    await expect(publisher.publish('CartPlaced', bad)).rejects.toThrow(
      "field 'items.0.quantity' breaks rule 'min_value'",
    );
  });

  it('a FIFO event without a group id says how to give one', async () => {
    // A schema where the groupBy field is optional: the payload passes validation without it.
    const schema = v.object({ paymentId: v.string(), accountId: v.optional(v.string()), amountCents: v.number() });
    const topology = {
      ...fixtureTopology,
      events: { ...fixtureTopology.events, FundsCaptured: { schema, groupBy: 'accountId' } },
    };
    const p = await createPublisher({ topology, target: stack.source });
    await expect(p.publish('FundsCaptured', { paymentId: 'p', amountCents: 1 })).rejects.toThrow(
      "Event type 'FundsCaptured' goes to FIFO topic 'payments', which needs a message group id. " +
        'Fix: pass { groupId } to publish, or declare groupBy (the payload field holding the group) on ' +
        "'FundsCaptured' in the topology (its groupBy field 'accountId' is missing from this payload).",
    );
    await p.close();
  });

  it('an oversized payload without a payload bucket names the size, the limit and the fix', async () => {
    const big = { jobId: 'j', kind: 'checksum' as const, input: 'x'.repeat(100_000) };
    // 100 KB fits a queue; 300 KB through a topic does not: CartCancelled.reason is unbounded.
    await expect(publisher.publish('TaskRequested', big)).resolves.toBeTypeOf('string');
    await expect(publisher.publish('CartCancelled', { orderId: 'o', reason: 'r'.repeat(300_000) })).rejects.toThrow(
      /^Message of event type 'CartCancelled' is 300\d{3} bytes \(body \+ attributes\); SNS topic 'orders' accepts at most 262144\. Fix: deploy the stack with its payload bucket \(output PayloadBucketName missing from 'fanout-dev'\) or shrink the payload\.$/,
    );
    await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!);
  });

  it('attribute names and values SNS/SQS reject', async () => {
    const send = (attributes: Record<string, string>) => publisher.publish('FundsCaptured', payment, { attributes });
    await expect(send({ 'AWS.trace': 'x' })).rejects.toThrow(
      "Message attribute name 'AWS.trace' must not start with 'AWS.' or 'Amazon.' (reserved). Fix: rename the attribute.",
    );
    await expect(send({ 'has space': 'x' })).rejects.toThrow(
      "Message attribute name 'has space' may contain only A-Z, a-z, 0-9, underscore, hyphen and period.",
    );
    await expect(send({ 'a..b': 'x' })).rejects.toThrow("'a..b' must not contain two successive periods");
    await expect(send({ tenant: '' })).rejects.toThrow("Message attribute 'tenant' has an empty value.");
    await expect(send({ tenant: 'bell\u0007' })).rejects.toThrow(
      "Message attribute 'tenant' contains a character SNS/SQS reject",
    );
    await expect(send({ eventType: 'x' })).rejects.toThrow(
      "Message attribute 'eventType' is set by the publisher itself.",
    );
    const twelve = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`a${i}`, 'v']));
    await expect(send(twelve)).rejects.toThrow(
      "A message may carry at most 9 attributes, the publisher's own included",
    );
  });

  it('a FIFO group id SQS would reject', async () => {
    await expect(publisher.publish('FundsCaptured', payment, { groupId: 'has space' })).rejects.toThrow(
      "FIFO group id 'has space' for 'FundsCaptured' to 'payments' must be 1-128 characters",
    );
  });
});

describe('missing stack outputs say which stack and how to deploy it', () => {
  it('a local registry file that does not exist', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fanout-')), 'local.json');
    await expect(loadStackOutputs('fanout', 'dev', { kind: 'local-registry', path })).rejects.toThrow(
      `No local cloud is running: registry file ${path} does not exist, so the outputs of stack 'fanout-dev' are unknown. ` +
        'Fix: start the local cloud with `npm start` (or `npx fanout local`), or pass --target aws to use the deployed stack.',
    );
  });

  it('a registry without the stack lists the stacks it has', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fanout-')), 'local.json');
    const endpoints = { sqs: 'http://x', sns: 'http://x', s3: 'http://x' };
    writeFileSync(path, JSON.stringify({ region: 'us-east-1', endpoints, stacks: { 'other-dev': { outputs: {} } } }));
    await expect(loadStackOutputs('fanout', 'prod', { kind: 'local-registry', path })).rejects.toThrow(
      `The local cloud (registry ${path}) runs no stack 'fanout-prod' (it runs: other-dev). ` +
        'Fix: deploy it with `npx cdk deploy -c stage=prod` (AWS) or start the local cloud with `npm start`.',
    );
  });

  it('a stack lacking the output of a topic', async () => {
    const { TopicOrdersArn: _, ...outputs } = stack.outputs;
    const p = await createPublisher({ topology: fixtureTopology, target: { ...stack.source, outputs } as never });
    await expect(p.publish('CartCancelled', { orderId: 'o', reason: 'r' })).rejects.toThrow(
      "Stack 'fanout-dev' (given outputs) has no output 'TopicOrdersArn' for topic 'orders'. " +
        'Fix: deploy it with `npx cdk deploy -c stage=dev` (AWS) or start the local cloud with `npm start` so the stack matches the topology.',
    );
    await p.close();
  });
});
