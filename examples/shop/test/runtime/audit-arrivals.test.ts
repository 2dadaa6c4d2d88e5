import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as audit } from '../../handlers/audit.ts';
import { createConsumer } from '../../../../lambdas/runtime/index.ts';
import { tableEnvName } from '../../../../contracts/consumer-env.ts';
import { createTable, startDynamo, type LocalDynamo } from '../../../../test/support/emulators.ts';
import { lambdaContext, snsRecord } from '../../../../test/support/lambda-events.ts';
import { consumerConfig, emulatorQueueUrl } from '../../../../test/support/consumer-config.ts';

// Audit positions (`arrival`) come from a counter written with the row: right for a partition of any
// size, never from counting the partition per message (one query page is 1 MB).
let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynamo();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  process.env[tableEnvName('audit-log')] = 'audit-log';
  await createTable(dynamo.client, 'audit-log', 'accountId', 'entryId');
});
afterAll(() => dynamo.close());

const handler = () =>
  createConsumer(
    audit.definition,
    consumerConfig({
      name: 'audit',
      delivery: 'at-least-once',
      fifo: true,
      source: 'sns',
      queueUrl: emulatorQueueUrl('audit.fifo'),
    }),
    { sink: () => {} },
  );

async function rows(accountId: string) {
  const out: { entryId: string; arrival?: number; deliveries: number }[] = [];
  let ExclusiveStartKey: QueryCommand['input']['ExclusiveStartKey'];
  do {
    const page = await dynamo.client.send(
      new QueryCommand({
        TableName: 'audit-log',
        KeyConditionExpression: 'accountId = :a',
        ExpressionAttributeValues: { ':a': { S: accountId } },
        ProjectionExpression: 'entryId, arrival, deliveries',
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    for (const r of page.Items ?? [])
      out.push({
        entryId: r.entryId!.S!,
        ...(r.arrival ? { arrival: Number(r.arrival.N) } : {}),
        deliveries: Number(r.deliveries?.N ?? 0),
      });
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}

describe('audit arrival positions', () => {
  it('count on past a partition larger than one 1 MB query page, one position per row', async () => {
    const accountId = 'acc-big';
    // Four 350 KB rows recorded before: 1.4 MB, more than one query page.
    for (let i = 1; i <= 4; i++)
      await dynamo.client.send(
        new PutItemCommand({
          TableName: 'audit-log',
          Item: {
            accountId: { S: accountId },
            entryId: { S: `!old#${i}` }, // sorted before the new rows: the first page is all old rows
            arrival: { N: String(i) },
            note: { S: 'x'.repeat(350_000) },
          },
        }),
      );
    const consume = handler();
    const capture = (n: number) =>
      snsRecord(
        'PaymentCaptured',
        { paymentId: `pay-${n}`, accountId, amountCents: 10 * n },
        { groupId: accountId, attributes: { idempotencyKey: `k-${n}` } },
      );
    for (let n = 1; n <= 3; n++)
      expect(await consume({ Records: [capture(n)] }, lambdaContext())).toEqual({ batchItemFailures: [] });
    // A batch of one group (in order), with a redelivery of an earlier payment: it keeps its position.
    const refund = snsRecord(
      'PaymentRefunded',
      { paymentId: 'pay-1', refundId: 'ref-1', accountId, amountCents: 5 },
      { groupId: accountId, attributes: { idempotencyKey: 'k-r1' } },
    );
    expect(await consume({ Records: [capture(4), capture(2), refund] }, lambdaContext())).toEqual({
      batchItemFailures: [],
    });

    const got = (await rows(accountId)).filter((r) => !r.entryId.startsWith('!old#') && r.entryId !== '#arrivals');
    expect(got.sort((a, b) => a.arrival! - b.arrival!)).toEqual([
      { entryId: 'PaymentCaptured#pay-1', arrival: 5, deliveries: 1 },
      { entryId: 'PaymentCaptured#pay-2', arrival: 6, deliveries: 2 },
      { entryId: 'PaymentCaptured#pay-3', arrival: 7, deliveries: 1 },
      { entryId: 'PaymentCaptured#pay-4', arrival: 8, deliveries: 1 },
      { entryId: 'PaymentRefunded#ref-1', arrival: 9, deliveries: 1 },
    ]);
  });
});
