import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConsumerConfig, ConsumerConfigError } from '../../lambdas/runtime/index.ts';
import { defineMiddyConsumer } from '../../lambdas/runtime/middy.ts';
import { CONSUMER_ENV, tableEnvName } from '../../contracts/consumer-env.ts';
import { createTable, getItem, startDynamo, type LocalDynamo } from '../support/emulators.ts';
import { lambdaContext, snsRecord } from '../support/lambda-events.ts';
import { handler as stagedSends } from '../fixtures/handlers/staged-sends.ts';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynamo();
  await createTable(dynamo.client, 'fanout-dev-idempotency', 'id');
  await createTable(dynamo.client, 'fanout-dev-sent-emails', 'emailId');
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    [CONSUMER_ENV.name]: 'email',
    [CONSUMER_ENV.delivery]: 'exactly-once',
    [CONSUMER_ENV.source]: 'sns',
    [CONSUMER_ENV.fifo]: 'false',
    [CONSUMER_ENV.idempotencyKey]: 'attribute:idempotencyKey,sns-message-id,message-id',
    [CONSUMER_ENV.producerKeyAttribute]: 'idempotencyKey',
    [CONSUMER_ENV.idempotencyTable]: 'fanout-dev-idempotency',
    [CONSUMER_ENV.idempotencyTtlHours]: '48',
    [CONSUMER_ENV.parallelism]: '4',
    [CONSUMER_ENV.queueUrl]: 'http://127.0.0.1:1/000000000000/fanout-dev-email',
    [CONSUMER_ENV.requestReply]: 'true',
    [CONSUMER_ENV.replyQueuePrefix]: 'fanout-dev-reply-',
    [tableEnvName('sent-emails')]: 'fanout-dev-sent-emails',
  });
});
afterAll(async () => dynamo.close());

describe('the Lambda entry configured from the stack environment', () => {
  it('runs a staged handler exactly once per SNS message with the settings of contracts/consumer-env.ts', async () => {
    const shipped = { orderId: 'o-1', email: 'a@example.com', carrier: 'ups', trackingId: 't-1' };
    const event = { Records: [snsRecord('CartShipped', shipped, { snsMessageId: 'sns-e1' })] };
    const redelivery = { Records: [snsRecord('CartShipped', shipped, { snsMessageId: 'sns-e1' })] };

    expect(await stagedSends(event, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(await stagedSends(redelivery, lambdaContext())).toEqual({ batchItemFailures: [] });

    const sent = await getItem(dynamo.client, 'fanout-dev-sent-emails', { emailId: { S: 'o-1#shipped' } });
    expect(sent?.sends?.N).toBe('1');
    const record = await getItem(dynamo.client, 'fanout-dev-idempotency', {
      id: { S: 'email#CartShipped#sns:sns-e1' },
    });
    expect(Number(record?.expiresAt?.N)).toBeGreaterThan(Date.now() / 1000 + 47 * 3600);
  });

  it('composes with middy middlewares through defineMiddyConsumer, running the same core', async () => {
    const seen: string[] = [];
    const handler = defineMiddyConsumer(stagedSends.definition).use({
      before: (request) => void seen.push(`before ${request.event.Records.length}`),
      after: (request) => void seen.push(`after ${JSON.stringify(request.response)}`),
    });
    const placed = {
      orderId: 'o-m',
      customerId: 'c-1',
      email: 'm@example.com',
      items: [{ sku: 's', quantity: 1 }],
      totalCents: 1,
    };
    const event = {
      Records: [
        snsRecord('CartPlaced', placed, { snsMessageId: 'sns-m1' }),
        snsRecord('CartPlaced', { orderId: 'bad' }),
      ],
    };
    const response = await handler(event, lambdaContext());
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[1]!.messageId }] });
    expect(seen).toEqual(['before 2', `after ${JSON.stringify(response)}`]);
    const sent = await getItem(dynamo.client, 'fanout-dev-sent-emails', { emailId: { S: 'o-m#confirmation' } });
    expect(sent?.sends?.N).toBe('1');
  });

  it('reads every variable of the contract', () => {
    expect(readConsumerConfig()).toMatchObject({
      name: 'email',
      delivery: 'exactly-once',
      source: 'sns',
      fifo: false,
      keySources: [{ attribute: 'idempotencyKey' }, 'sns-message-id', 'message-id'],
      keySourcesByEvent: {},
      producerKeyAttribute: 'idempotencyKey',
      idempotencyTable: 'fanout-dev-idempotency',
      idempotencyTtlSeconds: 48 * 3600,
      parallelism: 4,
      requestReply: true,
      replyQueuePrefix: 'fanout-dev-reply-',
    });
  });

  const base = {
    [CONSUMER_ENV.name]: 'jobs',
    [CONSUMER_ENV.delivery]: 'at-least-once',
    [CONSUMER_ENV.source]: 'sqs',
    [CONSUMER_ENV.fifo]: 'false',
    [CONSUMER_ENV.idempotencyKey]: 'attribute:idempotencyKey,message-id',
    [CONSUMER_ENV.producerKeyAttribute]: 'idempotencyKey',
    [CONSUMER_ENV.queueUrl]: 'http://localhost/queue/jobs',
    [CONSUMER_ENV.parallelism]: '10',
  };
  const fix = 'Fix: redeploy the stack, which sets it from the topology (contracts/consumer-env.ts).';
  const without = (variable: string) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== variable));

  it('accepts the variables the stack always sets', () => {
    expect(readConsumerConfig(base)).toMatchObject({ name: 'jobs', delivery: 'at-least-once', parallelism: 10 });
  });

  it.each([
    [
      {},
      `${CONSUMER_ENV.name} is not set: this function is not a Fanout consumer of the stack. Fix: deploy it through the topology, or set the variables of contracts/consumer-env.ts.`,
    ],
    [
      { ...base, [CONSUMER_ENV.delivery]: 'exactly-once' },
      `Consumer 'jobs' is exactly-once but ${CONSUMER_ENV.idempotencyTable} is not set. Fix: redeploy the stack (it creates the idempotency table for exactly-once endpoints).`,
    ],
    [
      { ...base, [CONSUMER_ENV.parallelism]: 'many' },
      `${CONSUMER_ENV.parallelism} is 'many': it must be a positive integer. ${fix}`,
    ],
    [
      { ...base, [CONSUMER_ENV.source]: 'kafka' },
      `${CONSUMER_ENV.source} is 'kafka': expected 'sns', 'sns-raw', 'sqs'. ${fix}`,
    ],
    // No silent fallback to at-least-once: a missing or misspelt guarantee fails the cold start.
    [without(CONSUMER_ENV.delivery), `${CONSUMER_ENV.delivery} is not set. ${fix}`],
    [
      { ...base, [CONSUMER_ENV.delivery]: 'exactly_once' },
      `${CONSUMER_ENV.delivery} is 'exactly_once': expected 'at-most-once', 'at-least-once', 'exactly-once'. ${fix}`,
    ],
    [without(CONSUMER_ENV.source), `${CONSUMER_ENV.source} is not set. ${fix}`],
    [without(CONSUMER_ENV.fifo), `${CONSUMER_ENV.fifo} is not set. ${fix}`],
    [without(CONSUMER_ENV.idempotencyKey), `${CONSUMER_ENV.idempotencyKey} is not set. ${fix}`],
    [
      { ...base, [CONSUMER_ENV.idempotencyKey]: 'attribute:idempotencyKey,sns-id' },
      `${CONSUMER_ENV.idempotencyKey} is 'attribute:idempotencyKey,sns-id': expected comma-separated sources (field:<name>, attribute:<name>, sns-message-id, fifo-dedup-id, message-id). ${fix}`,
    ],
    [without(CONSUMER_ENV.producerKeyAttribute), `${CONSUMER_ENV.producerKeyAttribute} is not set. ${fix}`],
    [
      { ...base, [CONSUMER_ENV.idempotencyKeyByEvent]: '{"Refunded":"field:"}' },
      `${CONSUMER_ENV.idempotencyKeyByEvent} is '{"Refunded":"field:"}': expected a JSON object of event type → comma-separated sources (field:<name>, attribute:<name>, sns-message-id, fifo-dedup-id, message-id). ${fix}`,
    ],
    [without(CONSUMER_ENV.parallelism), `${CONSUMER_ENV.parallelism} is not set. ${fix}`],
    [
      { ...base, [CONSUMER_ENV.idempotencyTable]: 'fanout-dev-idempotency' },
      `${CONSUMER_ENV.idempotencyTtlHours} is not set. ${fix}`,
    ],
  ])('rejects a misconfigured environment with a message naming the variable (%#)', (env, message) => {
    expect(() => readConsumerConfig(env)).toThrow(new ConsumerConfigError(message));
  });
});
