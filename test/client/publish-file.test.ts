import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputFileError } from '../../client/errors.ts';
import { lineRanges, publishEventFile } from '../../client/publish-file.ts';
import { createPublisher, type Publisher } from '../../client/publisher.ts';
import { queueAttributes } from '../../client/sqs-util.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

let stack: FauxqsStack;
let publisher: Publisher<typeof fixtureTopology>;
const payment = (i: number) => ({ paymentId: `p-${i}`, accountId: `a-${i % 2}`, amountCents: 10 });
const line = (eventType: string, payload: unknown, extra = {}) => JSON.stringify({ eventType, payload, ...extra });
const ledgerDepth = async () =>
  Number(
    (
      await queueAttributes(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('ledger')]!, [
        'ApproximateNumberOfMessages',
      ])
    ).ApproximateNumberOfMessages,
  );

beforeAll(async () => {
  stack = await startFauxqsStack();
  publisher = await createPublisher({ topology: fixtureTopology, target: stack.source, clients: stack.clients });
});
afterAll(async () => {
  await publisher.close();
  await stack.stop();
});

describe('publishing an NDJSON file', () => {
  it('sends every line and reports their numbers, with progress', async () => {
    const text = `${Array.from({ length: 30 }, (_, i) =>
      line('FundsCaptured', payment(i), { idempotencyKey: `k-${i}` }),
    ).join('\n')}\n\n`;
    const progress: number[] = [];
    const result = await publishEventFile(publisher, 'payments', text, {
      onProgress: (done) => progress.push(done),
    });
    expect(result.failed).toEqual([]);
    expect(lineRanges(result.sent)).toBe('1-30');
    expect(progress).toHaveLength(30);
    expect(await ledgerDepth()).toBe(30);
  });

  it('reports every invalid line with its number and sends nothing', async () => {
    const before = await ledgerDepth();
    const text = [
      line('FundsCaptured', payment(1)),
      '{"eventType": "FundsCaptured", "payload": ',
      line('FundsCaptured', { ...payment(3), amountCents: 0 }),
      line('CartPlaced', {}),
      line('FundsCaptured', payment(5), { attributes: { 'bad name': 'x' } }),
      '[1,2]',
    ].join('\n');
    const error = (await publishEventFile(publisher, 'payments', text).catch((e) => e)) as InvalidInputFileError;
    expect(error).toBeInstanceOf(InvalidInputFileError);
    expect(error.problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 6]);
    expect(error.message.split('\n')).toEqual([
      '5 invalid line(s); nothing was sent:',
      expect.stringMatching(/^ {2}line 2: not JSON \(.+\)$/),
      "  line 3: Payload of event type 'FundsCaptured' is invalid: field 'amountCents' breaks rule 'min_value' (Invalid value: Expected >=1 but received 0). Fix: send a payload that satisfies the 'FundsCaptured' schema in the topology.",
      "  line 4: Event type 'CartPlaced' is not published to 'payments' (it goes to: orders). Fix: pick one of those.",
      "  line 5: Message attribute name 'bad name' may contain only A-Z, a-z, 0-9, underscore, hyphen and period. Fix: rename the attribute.",
      '  line 6: expected an object {"eventType": "<name>", "payload": {...}}',
    ]);
    expect(await ledgerDepth()).toBe(before);
  });

  it('refuses, before sending anything, a line that no publish could send: oversized with no payload bucket', async () => {
    if (stack.source.kind !== 'static') throw new Error('the fauxqs stack gives static outputs');
    const { [OUTPUT_KEYS.payloadBucketName]: _bucket, ...outputs } = stack.source.outputs;
    const noBucket = await createPublisher({
      topology: fixtureTopology,
      target: { ...stack.source, outputs },
      clients: stack.clients,
    });
    const text = [
      line('CartCancelled', { orderId: 'o-1', reason: 'r' }),
      line('CartCancelled', { orderId: 'o-2', reason: 'r'.repeat(300_000) }),
    ].join('\n');
    const error = (await publishEventFile(noBucket, 'orders', text).catch((e) => e)) as InvalidInputFileError;
    expect(error).toBeInstanceOf(InvalidInputFileError);
    expect(error.problems.map((p) => p.line)).toEqual([2]);
    expect(error.problems[0]!.problem).toMatch(
      /^Message of event type 'CartCancelled' is \d+ bytes \(body \+ attributes\); SNS topic 'orders' accepts at most \d+\. Fix: deploy the stack with its payload bucket/,
    );
    await noBucket.close();
  });

  it('an unknown topic or queue names the valid ones', async () => {
    await expect(publishEventFile(publisher, 'refunds', '')).rejects.toThrow(
      "Unknown topic or work queue 'refunds'. Valid names: orders, payments, jobs.",
    );
  });

  it('compresses line numbers into ranges', () => {
    expect(lineRanges([5, 1, 2, 3, 7, 8, 10])).toBe('1-3, 5, 7-8, 10');
    expect(lineRanges([])).toBe('none');
  });
});
