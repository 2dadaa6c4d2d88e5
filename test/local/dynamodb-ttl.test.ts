import { DescribeTimeToLiveCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.ts';
import { physicalId, startFixture, waitFor } from '../support/local-cloud.ts';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startFixture('TtlFixture', (stack) => {
    new Table(stack, 'Expiring', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
    });
  });
});
afterAll(() => cloud?.stop());

describe('DynamoDB TTL in the local cloud', () => {
  it("is enabled on the template's attribute, and DynamoDB Local deletes expired items", async () => {
    const TableName = physicalId(cloud, 'Expiring', 'AWS::DynamoDB::Table');
    const { TimeToLiveDescription } = await cloud.clients.dynamodb.send(new DescribeTimeToLiveCommand({ TableName }));
    expect(TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    expect(cloud.warnings.filter((w) => w.includes('TTL'))).toEqual([]);

    const hourAgo = String(Math.floor(Date.now() / 1000) - 3600);
    await cloud.clients.dynamodb.send(
      new PutItemCommand({ TableName, Item: { pk: { S: 'expired' }, expiresAt: { N: hourAgo } } }),
    );
    await cloud.clients.dynamodb.send(new PutItemCommand({ TableName, Item: { pk: { S: 'kept' } } }));
    const read = async (pk: string) =>
      (
        await cloud.clients.dynamodb.send(
          new GetItemCommand({ TableName, Key: { pk: { S: pk } }, ConsistentRead: true }),
        )
      ).Item;
    await waitFor('the expired item deleted', async () => (await read('expired')) === undefined, 60_000);
    expect(await read('kept')).toBeDefined();
  });
});
