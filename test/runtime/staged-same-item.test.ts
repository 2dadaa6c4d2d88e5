import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, type ConsumerDefinition } from '../../lambdas/runtime/index.ts';
import { FundsCaptured } from '../fixtures/app/events.ts';
import { createTable, getItem, startDynamo, type LocalDynamo } from '../support/emulators.ts';
import { captureSink, lambdaContext, snsRecord } from '../support/lambda-events.ts';
import { countRequests, payment } from '../support/ledger-world.ts';
import { consumerConfig, emulatorQueueUrl } from '../support/consumer-config.ts';

// Two messages of one batch staging a put of the same item: DynamoDB refuses a transaction naming one
// item twice (a ValidationException), so the group commit tries them again, apart in the end.
let dynamo: LocalDynamo;
let client: DynamoDBClient;
let requests: Record<string, number>;
beforeAll(async () => {
  dynamo = await startDynamo();
  client = dynamo.client;
  await createTable(client, 'latest', 'id');
  requests = countRequests(client);
}, 120_000);
afterAll(() => dynamo?.close());

const latestPayment = {
  events: { FundsCaptured },
  effects: 'staged',
  handlers: {
    FundsCaptured: async (
      p: { paymentId: string },
      ctx: Parameters<ConsumerDefinition<Record<string, never>>['handlers'][string]>[1],
    ) => {
      ctx.stage.put({ TableName: 'latest', Item: { id: { S: 'account' }, paymentId: { S: p.paymentId } } });
    },
  },
} as const;

describe('staged puts of one item from two messages of a batch', () => {
  it('both commit, each in a transaction of its own after two refused together', async () => {
    const capture = captureSink();
    const handler = createConsumer(
      latestPayment as unknown as ConsumerDefinition<Record<string, never>>,
      consumerConfig({
        name: 'latest',
        delivery: 'at-least-once',
        source: 'sns',
        queueUrl: emulatorQueueUrl('latest'),
      }),
      { dynamodb: client, sink: capture.sink },
    );
    const records = ['p-1', 'p-2'].map((id) => snsRecord('FundsCaptured', payment('acc', id, 100)));

    const response = await handler({ Records: records }, lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(capture.outcomes().map((o) => o.outcome)).toEqual(['processed', 'processed']);
    // Together twice (refused), then one transaction each.
    expect(requests.TransactWriteItemsCommand).toBe(4);
    const item = await getItem(client, 'latest', { id: { S: 'account' } });
    expect(['p-1', 'p-2']).toContain(item?.paymentId?.S);
  });
});
