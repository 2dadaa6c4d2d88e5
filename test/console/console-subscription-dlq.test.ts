import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LocalConsole, startConsole } from '../../console/index.ts';
import type { LocalCloud } from '../../local/index.ts';
import type { ConsoleSnapshot } from '../../console/protocol.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFixtureCloud } from '../support/fixture-app.ts';

let cloud: LocalCloud;
let localConsole: LocalConsole;
beforeAll(async () => {
  cloud = await startFixtureCloud();
  localConsole = await startConsole(cloud, { topology: fixtureTopology });
}, 180_000);
afterAll(async () => {
  await localConsole?.stop();
  await cloud?.stop();
});

it('the console ties an SNS subscription DLQ to its subscriber and replays it to the subscriber queue', async () => {
  const subDlqUrl = cloud.outputs[OUTPUT_KEYS.subscriptionDeadLetterQueueUrl('warehouse')]!;
  const snapshot = (await (await fetch(`${localConsole.url}/api/snapshot`)).json()) as ConsoleSnapshot;
  expect(snapshot.graph.nodes.find((n) => n.queueUrl === subDlqUrl)).toMatchObject({
    kind: 'dead-letter-queue',
    replayEndpoint: 'warehouse',
    replaySource: 'subscription',
  });
  expect(
    snapshot.graph.nodes.find((n) => n.queueUrl === cloud.outputs[OUTPUT_KEYS.deadLetterQueueUrl('warehouse')]),
  ).toMatchObject({ replayEndpoint: 'warehouse', replaySource: 'queue' });

  await cloud.clients.sqs.send(new SendMessageCommand({ QueueUrl: subDlqUrl, MessageBody: '{"undelivered":1}' }));
  const response = await fetch(`${localConsole.url}/api/dead-letters/warehouse/replay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ source: 'subscription' }),
  });
  expect(await response.json()).toMatchObject({ method: 'manual', moved: 1 });
  expect(cloud.queueGauges('fanout-dev-warehouse-sub-dlq')!.visible).toBe(0);
});

it('the console purges the SNS subscription DLQ it is asked for, not the queue DLQ', async () => {
  const subDlqUrl = cloud.outputs[OUTPUT_KEYS.subscriptionDeadLetterQueueUrl('warehouse')]!;
  const queueDlqUrl = cloud.outputs[OUTPUT_KEYS.deadLetterQueueUrl('warehouse')]!;
  for (const QueueUrl of [subDlqUrl, subDlqUrl, queueDlqUrl])
    await cloud.clients.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"undelivered":2}' }));
  const response = await fetch(`${localConsole.url}/api/dead-letters/warehouse/purge`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ source: 'subscription' }),
  });
  expect(await response.json()).toEqual({ purged: 2, arrivedDuringPurge: 0, failed: [] });
  expect(cloud.queueGauges('fanout-dev-warehouse-sub-dlq')!.visible).toBe(0);
  expect(cloud.queueGauges('fanout-dev-warehouse-dlq')!.visible).toBe(1);
});
