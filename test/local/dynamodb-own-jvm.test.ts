import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../local/index.ts';
import { childPids } from '../support/child-processes.ts';
import { resultsTable, synthFixture } from './fixtures/fixture-app.ts';
import { physicalId } from '../support/local-cloud.ts';

describe('a local cloud given no running DynamoDB Local', () => {
  // The one test that starts a JVM of its own (seconds): the path `npm start` and the benches take.
  it('starts its own, where any credentials see its tables, and stop ends the JVM', async () => {
    const assemblyDir = synthFixture('OwnDynamo', (stack) => void resultsTable(stack));
    const before = childPids('java');
    const cloud = await startLocalCloud({ assemblyDir, stackName: 'OwnDynamo' });
    const started = childPids('java').filter((pid) => !before.includes(pid));
    const anyone = new DynamoDBClient({
      endpoint: cloud.endpoints.dynamodb,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'anyone', secretAccessKey: 'x' },
    });
    try {
      expect(started).toHaveLength(1);
      expect((await anyone.send(new ListTablesCommand({}))).TableNames).toEqual([
        physicalId(cloud, 'Results', 'AWS::DynamoDB::Table'),
      ]);
    } finally {
      anyone.destroy();
      await cloud.stop();
    }
    expect(childPids('java')).toEqual(before);
  });
});
