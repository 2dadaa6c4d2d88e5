import { ListTablesCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../local/index.ts';
import { sharedDynamoDb } from '../support/shared-dynamodb.ts';
import { probeConsumer, resultsTable, synthFixture } from './fixtures/fixture-app.ts';
import { physicalId, probeInvocations } from '../support/local-cloud.ts';

let a: LocalCloud;
let b: LocalCloud;

beforeAll(async () => {
  // One assembly, so both clouds create tables with the very same names.
  const assemblyDir = synthFixture('Namespaced', (stack) => probeConsumer(stack, 'Probe', resultsTable(stack)));
  const start = () => startLocalCloud({ assemblyDir, stackName: 'Namespaced', dynamodb: sharedDynamoDb() });
  [a, b] = await Promise.all([start(), start()]);
});
afterAll(() => Promise.all([a?.stop(), b?.stop()]));

const event = {
  Records: [
    {
      messageId: 'm-1',
      receiptHandle: 'r',
      body: '{"mode":"ok"}',
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {},
    },
  ],
};
const items = async (cloud: LocalCloud) =>
  (
    await cloud.clients.dynamodb.send(
      new ScanCommand({ TableName: physicalId(cloud, 'Results', 'AWS::DynamoDB::Table'), ConsistentRead: true }),
    )
  ).Items ?? [];

describe('two local clouds on one DynamoDB Local', () => {
  it("share the JVM and never see each other's tables or items, their functions' writes included", async () => {
    expect(a.endpoints.dynamodb).toBe(sharedDynamoDb()!.endpoint);
    expect(b.endpoints.dynamodb).toBe(a.endpoints.dynamodb);
    const table = physicalId(a, 'Results', 'AWS::DynamoDB::Table');
    expect(physicalId(b, 'Results', 'AWS::DynamoDB::Table')).toBe(table);
    for (const cloud of [a, b])
      expect((await cloud.clients.dynamodb.send(new ListTablesCommand({}))).TableNames).toEqual([table]);

    expect((await a.lambdas.invoke(physicalId(a, 'ProbeFunction', 'AWS::Lambda::Function'), event)).ok).toBe(true);
    expect(await probeInvocations(a)).toHaveLength(1);
    expect(await items(b)).toEqual([]);

    await b.clients.dynamodb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'written-by-b' } } }));
    expect((await items(a)).map((i) => i.pk!.S)).not.toContain('written-by-b');
    expect((await items(b)).map((i) => i.pk!.S)).toEqual(['written-by-b']);
  });
});
