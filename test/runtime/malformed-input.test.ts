import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskRequested } from '../fixtures/app/events.ts';
import { CartPlaced } from '../fixtures/app/events.ts';
import { createConsumer } from '../../lambdas/runtime/index.ts';
import { deadLetterReasonOf, startSqs, type LocalSqs } from '../support/emulators.ts';
import { drain } from '../support/drain.ts';
import {
  captureSink,
  envelopeRecord,
  lambdaContext,
  rawRecord,
  snsRecord,
  stringAttribute,
} from '../support/lambda-events.ts';
import { consumerConfig } from '../support/consumer-config.ts';

const order = {
  orderId: 'o-1',
  customerId: 'c-1',
  email: 'a@example.com',
  items: [{ sku: 'sku-1', quantity: 2 }],
  totalCents: 1200,
};

let sqs: LocalSqs;
beforeAll(async () => {
  sqs = await startSqs();
});
afterAll(async () => sqs.close());

function consumer(source: 'sns' | 'sns-raw', dlqName: string) {
  const handled: string[] = [];
  const capture = captureSink();
  const dlq = sqs.createQueue(dlqName);
  const handler = createConsumer(
    {
      events: { CartPlaced, TaskRequested },
      handlers: {
        CartPlaced: async (o) => void handled.push(o.orderId),
        TaskRequested: async (j) => void handled.push(j.jobId),
      },
    },
    consumerConfig({ name: 'inventory', source, queueUrl: sqs.createQueue('inventory'), deadLetterQueueUrl: dlq }),
    { sqs: sqs.client, sink: capture.sink },
  );
  return { handled, capture, dlq, handler };
}

describe('malformed SNS-envelope input goes to the DLQ with its reason, good records still run', () => {
  const cases = [
    {
      name: 'non-JSON body',
      record: envelopeRecord('not json {'),
      kind: 'malformed-message',
      reason: /^MalformedMessageError: body is not JSON .*expected an SNS notification envelope$/,
    },
    {
      name: 'empty body',
      record: envelopeRecord(''),
      kind: 'malformed-message',
      reason: 'MalformedMessageError: body is empty: expected a JSON message',
    },
    {
      name: 'envelope without Message',
      record: envelopeRecord({ Type: 'Notification', MessageId: 'm', TopicArn: 't' }),
      kind: 'malformed-message',
      reason: "MalformedMessageError: SNS envelope has no string 'Message'",
    },
    {
      name: 'not a Notification',
      record: envelopeRecord({ Type: 'SubscriptionConfirmation', Message: '{}' }),
      kind: 'malformed-message',
      reason: 'MalformedMessageError: body is not an SNS Notification envelope (Type is "SubscriptionConfirmation")',
    },
    {
      name: 'Message not JSON',
      record: snsRecord('CartPlaced', '{oops'),
      kind: 'malformed-message',
      reason: /^MalformedMessageError: message is not JSON/,
    },
    {
      name: 'wrong schema',
      record: snsRecord('CartPlaced', { ...order, email: 'nope', items: [] }),
      kind: 'schema-validation',
      reason:
        /^SchemaValidationError: CartPlaced payload does not match its schema: email: Invalid email: Received "nope"; items: Invalid length/,
    },
    {
      name: 'unknown event type',
      record: snsRecord('OrderRefunded', order),
      kind: 'unknown-event-type',
      reason:
        "UnhandledEventTypeError: event type 'OrderRefunded' is not handled by consumer 'inventory' (it handles CartPlaced, TaskRequested). Fix: narrow the subscription's events or add a handler",
    },
    {
      name: 'missing eventType',
      record: envelopeRecord({ Type: 'Notification', TopicArn: 't', Message: '{}', MessageAttributes: {} }),
      kind: 'malformed-message',
      reason: /^MalformedMessageError: message attribute 'eventType' is missing/,
    },
    {
      name: 'eventType of type Binary',
      record: envelopeRecord({
        Type: 'Notification',
        TopicArn: 't',
        Message: '{}',
        MessageAttributes: { eventType: { Type: 'Binary', Value: 'AQID' } },
      }),
      kind: 'malformed-message',
      reason:
        "MalformedMessageError: message attribute 'eventType' has type Binary: expected String. Fix: publish it as a String attribute",
    },
    {
      name: 'attribute without Value',
      record: envelopeRecord({
        Type: 'Notification',
        TopicArn: 't',
        Message: '{}',
        MessageAttributes: {
          eventType: { Type: 'String', Value: 'CartPlaced' },
          correlationId: { Type: 'String', Value: 42 },
        },
      }),
      kind: 'malformed-message',
      reason: `MalformedMessageError: SNS message attribute 'correlationId' must be {"Type": string, "Value": string}`,
    },
    {
      name: 'huge body over the schema limit',
      record: snsRecord('TaskRequested', { jobId: 'j', kind: 'checksum', input: 'x'.repeat(200_000) }),
      kind: 'schema-validation',
      reason:
        'SchemaValidationError: TaskRequested payload does not match its schema: input: Invalid length: Expected <=100000 but received 200000',
    },
  ];

  it.each(cases)('$name', async ({ name, record, kind, reason }) => {
    const { handled, capture, dlq, handler } = consumer('sns', `dlq-${cases.findIndex((c) => c.name === name)}`);
    const good = snsRecord('CartPlaced', order);
    const response = await handler({ Records: [record, good] }, lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(handled).toEqual(['o-1']);
    const poison = capture.outcomeOf(record.messageId);
    const ok = capture.outcomeOf(good.messageId);
    expect(ok).toMatchObject({ outcome: 'processed', messageId: good.messageId });
    expect(poison).toMatchObject({ outcome: 'dead-lettered', errorKind: kind, messageId: record.messageId });
    if (typeof reason === 'string') expect(poison!.reason).toBe(reason);
    else expect(poison!.reason).toMatch(reason);

    const dead = await drain(sqs.client, dlq, { delete: false });
    expect(dead).toHaveLength(1);
    expect(deadLetterReasonOf(dead[0]!)).toMatchObject({
      kind,
      consumer: 'inventory',
      receiveCount: 1,
      originalMessageId: record.messageId,
      message: String(poison!.reason).slice(0, 1000),
    });
    expect(dead[0]!.Body).toBe(record.body === '' ? '(empty body)' : record.body);
  });
});

describe('raw delivery reads attributes from the SQS record', () => {
  it('dead-letters a Number-typed eventType and keeps the original attributes on the DLQ copy', async () => {
    const { handled, capture, dlq, handler } = consumer('sns-raw', 'dlq-raw-attr');
    const wrong = rawRecord(undefined, order, {
      attributes: {
        eventType: { dataType: 'Number', stringValue: '7', stringListValues: [], binaryListValues: [] },
        correlationId: stringAttribute('corr-9'),
      },
    });
    const good = rawRecord('CartPlaced', order, { attributes: { correlationId: stringAttribute('corr-1') } });
    const response = await handler({ Records: [wrong, good] }, lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(handled).toEqual(['o-1']);
    expect(capture.outcomeOf(wrong.messageId)).toMatchObject({
      outcome: 'dead-lettered',
      reason:
        "MalformedMessageError: message attribute 'eventType' has type Number: expected String. Fix: send it as a String attribute",
    });
    expect(capture.outcomeOf(good.messageId)).toMatchObject({
      outcome: 'processed',
      correlationId: 'corr-1',
      eventType: 'CartPlaced',
    });
    const [dead] = await drain(sqs.client, dlq, { delete: false });
    expect(dead!.MessageAttributes!.correlationId?.StringValue).toBe('corr-9');
    expect(dead!.MessageAttributes!.eventType).toMatchObject({ DataType: 'Number', StringValue: '7' });
  });

  it('processes a raw body as the payload (no envelope unwrapping)', async () => {
    const { handled, handler } = consumer('sns-raw', 'dlq-raw-ok');
    const response = await handler(
      { Records: [rawRecord('CartPlaced', { ...order, orderId: 'raw-1' })] },
      lambdaContext(),
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(handled).toEqual(['raw-1']);
  });
});
