import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.ts';
import { probeConsumer, resultsTable } from './fixtures/fixture-app.ts';
import { physicalId, probeInvocations, startFixture, waitFor } from '../support/local-cloud.ts';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startFixture('EsmFilterFixture', (stack) => {
    const results = resultsTable(stack);
    probeConsumer(stack, 'Filtered', results, {
      filters: [
        { body: { kind: ['keep'], amount: [{ numeric: ['>=', 10] }] } },
        { messageAttributes: { tenant: { stringValue: [{ prefix: 'vip-' }] } } },
      ],
    });
    probeConsumer(stack, 'Provisioned', results, { pollers: { min: 3, max: 40 } });
  });
}, 120_000);
afterAll(() => cloud?.stop());

const queue = (name: string) => physicalId(cloud, `${name}Queue`, 'AWS::SQS::Queue');
const fn = (name: string) => physicalId(cloud, `${name}Function`, 'AWS::Lambda::Function');
const poller = (name: string) => cloud.pollers.find((p) => p.config.functionName === fn(name))!;

it('applies FilterCriteria: only matching records reach the function, the others are deleted', async () => {
  const entries = [
    { Id: 'a', MessageBody: JSON.stringify({ id: 'keep-big', kind: 'keep', amount: 12 }) },
    { Id: 'b', MessageBody: JSON.stringify({ id: 'keep-small', kind: 'keep', amount: 3 }) },
    { Id: 'c', MessageBody: JSON.stringify({ id: 'other', kind: 'drop', amount: 50 }) },
    { Id: 'd', MessageBody: 'not json at all' },
    {
      Id: 'e',
      MessageBody: JSON.stringify({ id: 'vip', kind: 'drop' }),
      MessageAttributes: { tenant: { DataType: 'String', StringValue: 'vip-7' } },
    },
  ];
  await cloud.clients.sqs.send(new SendMessageBatchCommand({ QueueUrl: queue('Filtered'), Entries: entries }));
  await waitFor(
    'every record handled or filtered',
    () => poller('Filtered').stats.deleted + poller('Filtered').stats.filteredOut === entries.length,
  );
  const received = (await probeInvocations(cloud))
    .filter((i) => i.functionName === fn('Filtered'))
    .flatMap((i) => i.event.Records.map((r) => JSON.parse(r.body).id));
  expect(received.sort()).toEqual(['keep-big', 'vip']);
  expect(poller('Filtered').stats.filteredOut).toBe(3);
  expect(cloud.queueGauges(queue('Filtered'))).toMatchObject({ visible: 0, notVisible: 0 });
  expect(cloud.queueGauges(physicalId(cloud, 'FilteredDlq', 'AWS::SQS::Queue'))).toMatchObject({ visible: 0 });
});

it('runs the minimum number of provisioned pollers (ProvisionedPollerConfig)', () => {
  expect(poller('Provisioned').config.concurrency).toBe(3);
  expect(poller('Filtered').config.concurrency).toBe(5);
});
