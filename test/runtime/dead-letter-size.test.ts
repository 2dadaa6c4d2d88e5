import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, PermanentError } from '../../lambdas/runtime/index.ts';
import * as v from 'valibot';
import fc from 'fast-check';
import { cutReasonPointer, DEAD_LETTER_ATTRIBUTE, encodeDeadLetterReasonWithin } from '../../contracts/dead-letter.ts';
import type { FailureKind } from '../../lambdas/runtime/errors.ts';
import { DEAD_LETTER_RESERVE_BYTES, SQS_LIMITS } from '../../topology/sqs-limits.ts';
import { deadLetterReasonOf, startSqs, type LocalSqs } from '../support/emulators.ts';
import { drain } from '../support/drain.ts';
import { captureSink, lambdaContext, rawRecord } from '../support/lambda-events.ts';
import { consumerConfig } from '../support/consumer-config.ts';

let sqs: LocalSqs;
beforeAll(async () => {
  sqs = await startSqs();
});
afterAll(async () => sqs.close());

const Blob = v.object({ id: v.string(), blob: v.string() });

/** A handler whose error says a lot: its reason (cut at 1,000 characters) is over 1 KB. */
const LONG_REASON = `the input is poison: ${'x'.repeat(2000)}`;

function consumer(deadLetterQueueUrl: string) {
  const capture = captureSink();
  const handler = createConsumer(
    {
      events: { Blob },
      handlers: {
        Blob: async () => {
          throw new PermanentError(LONG_REASON);
        },
      },
    },
    consumerConfig({
      name: 'jobs',
      source: 'sqs',
      queueUrl: sqs.createQueue('jobs'),
      maxReceiveCount: 3,
      deadLetterQueueUrl,
    }),
    { sqs: sqs.client, sink: capture.sink },
  );
  return { handler, capture };
}

/** A Blob record whose body and attributes leave `room` bytes under SQS's 1 MiB. */
function nearLimitRecord(room: number) {
  const shell = rawRecord('Blob', { id: 'poison', blob: '' });
  const used = Buffer.byteLength(shell.body) + 'eventType'.length + 'String'.length + 'Blob'.length;
  return rawRecord('Blob', { id: 'poison', blob: 'p'.repeat(SQS_LIMITS.messageBytesMax - used - room) });
}

describe('a dead-letter reason always reaches the DLQ, whatever the size of the message', () => {
  it('a near-1 MiB poison is dead-lettered whole, its reason cut to fit and pointing at the outcome log line', async () => {
    const dlq = sqs.createQueue('near-limit-dlq');
    const { handler, capture } = consumer(dlq);
    const record = nearLimitRecord(600);
    const response = await handler({ Records: [record] }, lambdaContext());
    expect(response.batchItemFailures).toEqual([]);
    expect(capture.outcomeOf(record.messageId)).toMatchObject({ outcome: 'dead-lettered', errorKind: 'permanent' });
    // The whole reason stays in the outcome log line the pointer names.
    expect(capture.outcomeOf(record.messageId)!.reason).toBe(`PermanentError: ${LONG_REASON}`);
    const [copy, ...rest] = await drain(sqs.client, dlq, { delete: false });
    expect(rest).toEqual([]);
    expect(copy!.Body).toBe(record.body);
    const reason = deadLetterReasonOf(copy!)!;
    expect(reason).toMatchObject({ kind: 'permanent', consumer: 'jobs', originalMessageId: record.messageId });
    expect(reason.message.startsWith('PermanentError: the input is poison: xxx')).toBe(true);
    expect(reason.message.endsWith(cutReasonPointer(record.messageId))).toBe(true);
  });

  it('a message with a short reason and room for it keeps the reason whole', async () => {
    const dlq = sqs.createQueue('roomy-dlq');
    const { handler } = consumer(dlq);
    const record = nearLimitRecord(5000);
    await handler({ Records: [record] }, lambdaContext());
    const [copy] = await drain(sqs.client, dlq, { delete: false });
    expect(deadLetterReasonOf(copy!)!.message).toBe(`PermanentError: ${LONG_REASON}`.slice(0, 1000));
  });

  it('the largest message a queue with a DLQ accepts (1 MiB less the reserve) is dead-lettered with its reason', async () => {
    const dlq = sqs.createQueue('largest-dlq');
    const { handler } = consumer(dlq);
    const record = nearLimitRecord(DEAD_LETTER_RESERVE_BYTES);
    expect(await handler({ Records: [record] }, lambdaContext())).toEqual({ batchItemFailures: [] });
    const [copy] = await drain(sqs.client, dlq, { delete: false });
    expect(copy!.Body).toBe(record.body);
    expect(deadLetterReasonOf(copy!)).toMatchObject({ kind: 'permanent', originalMessageId: record.messageId });
  });

  it('the reserve holds a reason whatever its kind, consumer, message id, receive count and text', () => {
    const kinds: FailureKind[] = [
      'malformed-message',
      'unknown-event-type',
      'schema-validation',
      'permanent',
      'idempotency-key-reused',
      'retryable',
      'retries-exhausted',
    ];
    const attributeBytes = Buffer.byteLength(DEAD_LETTER_ATTRIBUTE) + Buffer.byteLength('String');
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        // An endpoint path: topic and subscription names, each at most SQS's 80 characters.
        fc.stringMatching(/^[a-z][a-z0-9-]{0,79}\/[a-z][a-z0-9-]{0,79}$/),
        // SQS message ids are UUIDs; other ids (tests, other producers) up to 100 characters.
        fc.string({ minLength: 1, maxLength: 100, unit: 'grapheme-ascii' }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.string({ maxLength: 3000, unit: 'binary' }),
        (kind, consumer, originalMessageId, receiveCount, message) => {
          const reason = {
            kind,
            consumer,
            originalMessageId,
            receiveCount,
            message,
            deadLetteredAt: new Date().toISOString(),
          };
          expect(encodeDeadLetterReasonWithin(reason, DEAD_LETTER_RESERVE_BYTES - attributeBytes)).toBeDefined();
        },
      ),
    );
  });

  it('a message leaving no room even for a reason without text (a queue Fanout did not size) stays for SQS redrive, saying so in one line', async () => {
    const dlq = sqs.createQueue('full-dlq');
    const { handler, capture } = consumer(dlq);
    // 50 bytes free, less the reason attribute's name and type (22): 28 left for its value.
    const record = nearLimitRecord(50);
    const response = await handler({ Records: [record] }, lambdaContext());
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(capture.outcomeOf(record.messageId)!.reason).toBe(
      `PermanentError: ${LONG_REASON}; DLQ send failed: DeadLetterTooLargeError: message ${record.messageId} leaves 28 ` +
        'bytes under the 1048576-byte limit, too few for its dead-letter reason: it stays for SQS redrive after ' +
        'maxReceiveCount (the reason is in its outcome log line)',
    );
    expect(await drain(sqs.client, dlq, { delete: false })).toEqual([]);
  });
});
