import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.ts';
import { probeConsumer, resultsTable } from './fixtures/fixture-app.ts';
import { physicalId, startFixture, waitFor } from '../support/local-cloud.ts';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startFixture('PollerStats', (stack) =>
    probeConsumer(stack, 'Counted', resultsTable(stack), { batchSize: 2, maxConcurrency: 5 }),
  );
});
afterAll(() => cloud?.stop());

// Before the fix a lane read `stats.deleted` before awaiting its delete and wrote back a stale sum:
// concurrent batches lost each other's counts (400 records deleted, 140 counted).
it('counts every deleted record while several batches of one mapping run at once', async () => {
  const queueUrl = physicalId(cloud, 'CountedQueue', 'AWS::SQS::Queue');
  const sent = 60;
  for (let i = 0; i < sent; i += 10)
    await cloud.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Array.from({ length: 10 }, (_, k) => ({ Id: `m${k}`, MessageBody: '{"mode":"ok"}' })),
      }),
    );
  const [poller] = cloud.pollers;
  await waitFor(
    'every record processed',
    () =>
      poller!.stats.records >= sent &&
      cloud.queueGauges(queueUrl)?.notVisible === 0 &&
      cloud.queueGauges(queueUrl)?.visible === 0,
    60_000,
  );
  // The queue empties when fauxqs deletes, a moment before the lane that asked adds its count: stop
  // waits for every lane to finish its batch, so the figures below are final.
  await poller!.stop();
  expect(poller!.stats.peakConcurrentBatches).toBeGreaterThan(1);
  expect(poller!.stats.deleted).toBe(sent);
}, 90_000);
