import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ListMessageMoveTasksCommand, PurgeQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { planClaimCheck, storeClaimCheck } from '../../client/claim-check.ts';
import { localConnection } from '../../client/connection.ts';
import { CLAIM_CHECK } from '../../contracts/index.ts';
import { peekDeadLetters } from '../../client/dlq-peek.ts';
import { replayDeadLetters } from '../../client/dlq-replay.ts';
import { connectOperator, type OperatorContext } from '../../client/operator.ts';
import { queueAttributes } from '../../client/sqs-util.ts';
import { createFanoutApp } from '../../lib/app.ts';
import { startLocalCloud, type LocalCloud } from '../../local/index.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { waitFor } from '../support/local-cloud.ts';
import { sharedDynamoDb } from '../support/shared-dynamodb.ts';
import { FIXTURE_HANDLERS } from '../fixtures/app/handlers.ts';
import { FANOUT_BIN, FIXTURE_APP_DIR } from './support/fixture-cli.ts';

// `dlq replay` without a filter on the local cloud, which answers StartMessageMoveTask: the native path.
let cloud: LocalCloud;
let ops: OperatorContext;
let registry: string;
let dlqUrl: string;
let dlqArn: string;

const depth = async () =>
  Number(
    (await queueAttributes(cloud.clients.sqs, dlqUrl, ['ApproximateNumberOfMessages'])).ApproximateNumberOfMessages,
  );

/** Poison messages straight into the warehouse DLQ: the warehouse consumer dead-letters them again, with its reason. */
async function poison(count: number, tag: string): Promise<string[]> {
  const bodies = Array.from({ length: count }, (_, i) => `not json ${tag}-${i}`);
  for (const body of bodies)
    await cloud.clients.sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: body }));
  return bodies;
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fanout-native-replay-'));
  createFanoutApp({
    handlers: FIXTURE_HANDLERS,
    topology: fixtureTopology,
    outdir: dir,
    nag: false,
    cloudFormationValidation: false,
  }).app.synth();
  cloud = await startLocalCloud({ assemblyDir: dir, stackName: 'fanout-dev', dynamodb: sharedDynamoDb() });
  ops = await connectOperator({
    topology: fixtureTopology,
    source: {
      kind: 'static',
      outputs: cloud.outputs,
      connection: localConnection(cloud.endpoints.messaging, cloud.region),
    },
  });
  dlqUrl = cloud.outputs[OUTPUT_KEYS.deadLetterQueueUrl('warehouse')]!;
  dlqArn = (await queueAttributes(cloud.clients.sqs, dlqUrl, ['QueueArn'])).QueueArn!;
  registry = join(dir, 'local.json');
  const endpoint = cloud.endpoints.messaging;
  writeFileSync(
    registry,
    JSON.stringify({
      pid: process.pid,
      region: cloud.region,
      endpoints: { sqs: endpoint, sns: endpoint, s3: endpoint },
      stacks: { 'fanout-dev': { outputs: cloud.outputs } },
    }),
  );
});
afterAll(async () => {
  ops?.close();
  await cloud?.stop();
});

describe('dlq replay on the local cloud', () => {
  it('uses StartMessageMoveTask, reports progress from ListMessageMoveTasks, and the messages reach the consumer again', async () => {
    const bodies = await poison(4, 'api');
    const progress: { moved: number; total: number | undefined }[] = [];
    const result = await replayDeadLetters(ops, 'warehouse', { pollMs: 50, onProgress: (p) => progress.push(p) });
    expect(result).toEqual({
      method: 'native',
      moved: 4,
      skipped: 0,
      keptForOrder: 0,
      arrivedDuringReplay: 0,
      failed: [],
      copiedNotDeleted: [],
      notes: ['StartMessageMoveTask COMPLETED'],
    });
    expect(progress.at(-1)).toEqual({ moved: 4, total: 4 });
    const { Results = [] } = await cloud.clients.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }));
    expect(Results[0]).toMatchObject({
      Status: 'COMPLETED',
      ApproximateNumberOfMessagesMoved: 4,
      ApproximateNumberOfMessagesToMove: 4,
    });
    // Moved to the warehouse queue, the consumer rejected them again: back in the DLQ with its reason.
    const letters = await waitFor(
      'the replayed messages to be dead-lettered by the consumer',
      async () => {
        const seen = await peekDeadLetters(ops, 'warehouse', 10);
        return seen.filter((l) => l.reason?.consumer === 'warehouse').length === 4 ? seen : undefined;
      },
      30_000,
    );
    expect(letters.map((l) => l.payload).sort()).toEqual(bodies.sort());
    expect(letters.map((l) => l.reason?.kind)).toEqual(Array(4).fill('malformed-message'));
  });

  it('fanout dlq replay prints a native move, with no "moved manually" note', async () => {
    await cloud.clients.sqs.send(new PurgeQueueCommand({ QueueUrl: dlqUrl }));
    expect(await depth()).toBe(0);
    await poison(3, 'cli');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', FANOUT_BIN, 'dlq', 'replay', 'warehouse'],
      {
        cwd: FIXTURE_APP_DIR,
        env: { ...process.env, FANOUT_LOCAL_REGISTRY: registry, NO_COLOR: '1', FORCE_COLOR: '0' },
      },
    );
    expect(stdout).toContain(
      `Moved 3 message(s) from ${dlqUrl} to ${cloud.outputs[OUTPUT_KEYS.queueUrl('warehouse')]} (native move).`,
    );
    expect(stdout).toContain('note: StartMessageMoveTask COMPLETED');
    expect(stdout).not.toContain('moved manually');
  });

  it('moves a DLQ holding claim-checked messages by hand, so each payload is renewed (a native move cannot)', async () => {
    await cloud.clients.sqs.send(new PurgeQueueCommand({ QueueUrl: dlqUrl }));
    const bucket = cloud.outputs[OUTPUT_KEYS.payloadBucketName]!;
    const claim = planClaimCheck(bucket, 'CartPlaced', JSON.stringify({ orderId: 'o-claim' }));
    await storeClaimCheck(cloud.clients.s3, claim);
    await cloud.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: dlqUrl,
        MessageBody: claim.body,
        MessageAttributes: { [CLAIM_CHECK.attribute]: { DataType: 'String', StringValue: CLAIM_CHECK.version } },
      }),
    );
    const result = await replayDeadLetters(ops, 'warehouse', { force: true });
    expect(result.method).toBe('manual');
    expect(result.moved).toBe(1);
    expect(result.notes).toContain(
      '1 claim-checked message(s): moved by hand, renewing each payload (or refusing one that is gone)',
    );
    const head = await cloud.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: claim.pointer.key }));
    expect(head.Metadata?.[CLAIM_CHECK.renewedMetadata]).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
