import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.ts';
import { probeConsumer, resultsTable } from './fixtures/fixture-app.ts';
import { physicalId, startFixture, waitFor } from '../support/local-cloud.ts';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startFixture('PollerWindowPause', (stack) =>
    probeConsumer(stack, 'Windowed', resultsTable(stack), { batchingWindowSeconds: 20, visibilityTimeoutSeconds: 60 }),
  );
});
afterAll(() => cloud?.stop());

// Before the fix the batch gathered so far was dropped when the window's next receive was aborted:
// its messages stayed hidden until their visibility timeout (60 s here) ended.
it('hands the batch gathered in a batching window to the function when the mapping is paused', async () => {
  const queueUrl = physicalId(cloud, 'WindowedQueue', 'AWS::SQS::Queue');
  await cloud.clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"mode":"ok"}' }));
  const [poller] = cloud.pollers;
  await waitFor('the message received, its window open', () => cloud.queueGauges(queueUrl)?.notVisible === 1);
  expect(poller!.stats.batches).toBe(0);
  poller!.pause();
  // `records` counts when the function answers, `deleted` after the delete the lane then awaits.
  await waitFor(
    'the gathered batch processed and settled',
    () => poller!.stats.records === 1 && poller!.inFlightBatches === 0,
    10_000,
  );
  expect(poller!.stats.deleted).toBe(1);
});
