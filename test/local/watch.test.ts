import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFanoutApp } from '../../lib/app.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { type AppWatcher, type CloudEventMap, type LocalCloud, startLocalCloud, watchApp } from '../../local/index.ts';
import { formatWatchEvent } from '../../local/internal.ts';
import type { Topology } from '../../topology/types.ts';
import { handlersOf } from '../fixtures/app/handlers.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { FIXTURE_TIME_SCALE, synthApp } from '../support/fixture-app.ts';
import { sharedDynamoDb } from '../support/shared-dynamodb.ts';

const RUNTIME = join(import.meta.dirname, '../../lambdas/runtime/index.ts');
const EVENTS = join(import.meta.dirname, '../fixtures/app/events.ts');

/** The warehouse handler, logging which version of it handled each order. */
const warehouseHandler = (version: string) => `import { defineConsumer } from '${RUNTIME}';
import { CartPlaced } from '${EVENTS}';

export const handler = defineConsumer({
  events: { CartPlaced },
  handlers: { CartPlaced: async (order) => console.log('warehouse ${version} handled ' + order.orderId) },
});
`;

const appDir = mkdtempSync(join(tmpdir(), 'fanout-watch-app-'));
const handlerFile = join(appDir, 'handlers', 'warehouse.ts');
const topologyFile = join(appDir, 'topology.json');
const handlers = { ...handlersOf(fixtureTopology), warehouse: handlerFile };

/** The fixture topology with one more work queue: a change the running cloud cannot take without a restart. */
const withExtraQueue = {
  ...fixtureTopology,
  workQueues: [
    ...fixtureTopology.workQueues,
    { name: 'extra', events: ['TaskRequested'], consumer: { handler: 'jobs', tables: ['job-results'] } },
  ],
} as Topology;

/** What the app's CDK app would synthesize now (the test stands in for `cdk synth` after an edit). */
let topology: Topology = fixtureTopology;

let cloud: LocalCloud;
let watcher: AppWatcher;

/** The next event of `kind` that `matches`; subscribe before the action that causes it. */
function next<K extends keyof CloudEventMap>(
  kind: K,
  matches: (event: CloudEventMap[K]) => boolean = () => true,
): Promise<CloudEventMap[K]> {
  return new Promise((resolve) => {
    const off = cloud.events.on(kind, (event) => {
      if (!matches(event)) return;
      off();
      resolve(event);
    });
  });
}

const handledLine = (text: string) => next('log', ({ line }) => line.includes(text));

async function placeCart(orderId: string): Promise<void> {
  await cloud.clients.sns.send(
    new PublishCommand({
      TopicArn: cloud.outputs[OUTPUT_KEYS.topicArn('orders')],
      Message: JSON.stringify({
        orderId,
        customerId: 'c-1',
        email: 'c1@example.com',
        items: [{ sku: 'sku-1', quantity: 1 }],
        totalCents: 100,
      }),
      MessageAttributes: {
        eventType: { DataType: 'String', StringValue: 'CartPlaced' },
        idempotencyKey: { DataType: 'String', StringValue: orderId },
      },
    }),
  );
}

beforeAll(async () => {
  mkdirSync(join(appDir, 'handlers'));
  writeFileSync(handlerFile, warehouseHandler('A'));
  writeFileSync(topologyFile, '{"queues":1}\n');
  const { assemblyDir, stackName } = synthApp(topology, handlers);
  cloud = await startLocalCloud({ assemblyDir, stackName, timeScale: FIXTURE_TIME_SCALE, dynamodb: sharedDynamoDb() });
  watcher = await watchApp(cloud, {
    appDir,
    assemblyDir,
    synthesize: (outdir) =>
      void createFanoutApp({ topology, handlers, outdir, nag: false, cloudFormationValidation: false }).app.synth(),
  });
}, 180_000);
afterAll(async () => {
  await watcher?.stop();
  await cloud?.stop();
});

describe('watchApp (fanout start --watch)', () => {
  it('knows which handler file each function is bundled from', () => {
    expect(watcher.functions.find((f) => f.endpoint === 'warehouse')).toEqual({
      functionName: 'fanout-dev-warehouse',
      endpoint: 'warehouse',
      entry: handlerFile,
    });
  });

  it('runs an edited handler from the next invocation on, keeping queues, dead letters and tables', async () => {
    const handledA = handledLine('warehouse A handled order-1');
    await placeCart('order-1');
    await handledA;

    const dlqUrl = cloud.outputs[OUTPUT_KEYS.deadLetterQueueUrl('warehouse')]!;
    await cloud.clients.sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: '{"kept":"dead letter"}' }));
    const picks = cloud.outputs[OUTPUT_KEYS.tableName('picks')]!;
    const key = { orderId: { S: 'kept-pick' } };
    await cloud.clients.dynamodb.send(new PutItemCommand({ TableName: picks, Item: { ...key, sku: { S: 'sku-9' } } }));

    const reloaded = next('watch');
    writeFileSync(handlerFile, warehouseHandler('B'));
    const event = await reloaded;
    expect(event).toMatchObject({ kind: 'reloaded', endpoints: ['warehouse'] });
    expect(formatWatchEvent(event)).toMatch(/^reloaded warehouse in \d+ ms$/);

    const handledB = handledLine('warehouse B handled order-2');
    await placeCart('order-2');
    expect((await handledB).functionName).toBe('fanout-dev-warehouse');

    const dead = await cloud.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10 }));
    expect(dead.Messages?.map((m) => m.Body)).toEqual(['{"kept":"dead letter"}']);
    const item = await cloud.clients.dynamodb.send(new GetItemCommand({ TableName: picks, Key: key }));
    expect(item.Item?.sku).toEqual({ S: 'sku-9' });
  });

  it('says which resource a topology change adds, and keeps running the previous stack', async () => {
    topology = withExtraQueue;
    const restart = next('watch');
    writeFileSync(topologyFile, '{"queues":2}\n');
    const event = await restart;
    expect(event.kind).toBe('restart-needed');
    expect(formatWatchEvent(event)).toMatch(
      /^restart needed: the template adds AWS::SQS::Queue Endpointextra\w+ \(and \d+ more changes\); still running the previous stack \(Ctrl-C, then start again to apply it\)$/,
    );
    expect(cloud.lambdas.functionNames()).not.toContain('fanout-dev-extra');

    const handledB = handledLine('warehouse B handled order-3');
    await placeCart('order-3');
    await handledB;
  });
});
