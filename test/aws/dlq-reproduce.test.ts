import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimCheckBody } from '../../contracts/claim-check.ts';
import { sha256Hex } from '../../contracts/sha256.ts';
import { DEAD_LETTER_ATTRIBUTE } from '../../contracts/dead-letter.ts';
import { type DeadLetterRecord, parseDeadLetterFile } from '../../contracts/dead-letter-file.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { handlersOf } from '../fixtures/app/handlers.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { synthApp } from '../support/fixture-app.ts';
import { motoClientConfig, motoProcessEnv } from './support/moto-env.ts';
import { missingPrerequisites } from './support/moto-server.ts';
import { deployFixtureStack, type MotoFixtureStack, runFanout } from './support/moto-stack.ts';

const STACK = 'fanout-dev';
const missing = missingPrerequisites();
/** A generous bound for a whole reproduce run (a local cloud start with DynamoDB Local included). */
const REPRODUCE_TEST_MS = 240_000;

if (missing && process.env.CI !== 'true') {
  console.warn(`test/aws/dlq-reproduce.test.ts skipped: ${missing}.`);
}

const placed = (orderId: string) => ({
  orderId,
  customerId: 'c-1',
  email: 'ann@shop.io',
  items: [{ sku: 's-1', quantity: 2 }],
  totalCents: 700,
});
const captured = { paymentId: 'p-1', accountId: 'a-1', amountCents: 500 };
const reason = (consumer: string) =>
  JSON.stringify({
    kind: 'handler-error',
    message: 'Error: stock service said no',
    receiveCount: 3,
    consumer,
    originalMessageId: `q-${consumer}`,
    deadLetteredAt: '2026-12-06T19:00:00.000Z',
  });
/** What SNS delivers to a queue without raw delivery. */
const envelope = (topicArn: string, message: string, attributes: Record<string, string>) =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: `sns-${sha256Hex(message).slice(0, 8)}`,
    TopicArn: topicArn,
    Message: message,
    Timestamp: '2026-12-06T18:59:00.000Z',
    MessageAttributes: Object.fromEntries(
      Object.entries(attributes).map(([k, v]) => [k, { Type: 'String', Value: v }]),
    ),
  });

(missing && process.env.CI !== 'true' ? describe.skip : describe)(
  'a production dead letter reproduced locally (moto as AWS)',
  () => {
    let stack: MotoFixtureStack;
    let sqs: SQSClient;
    let dir: string;
    let failing: { assemblyDir: string; stackName: string };
    let fixed: { assemblyDir: string; stackName: string };
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      if (missing) throw new Error(`CI=true and ${missing}: the moto suite must run in CI.`);
      stack = await deployFixtureStack(STACK);
      sqs = new SQSClient(motoClientConfig(stack.moto.endpoint));
      dir = mkdtempSync(join(tmpdir(), 'fanout-reproduce-'));
      failing = synthApp(fixtureTopology, handlersOf(fixtureTopology, true));
      fixed = synthApp(fixtureTopology, handlersOf(fixtureTopology));
    });
    afterAll(async () => {
      sqs?.destroy();
      await stack?.stop();
      for (const d of [dir, failing?.assemblyDir, fixed?.assemblyDir])
        if (d) rmSync(d, { recursive: true, force: true });
    });

    const aws = (...args: string[]) =>
      runFanout({ ...motoProcessEnv(stack.moto.endpoint), FANOUT_LOCAL_REGISTRY: join(dir, 'none.json') }, ...args);
    const local = (...args: string[]) =>
      runFanout({ ...process.env, FANOUT_LOCAL_REGISTRY: join(dir, 'none.json') }, ...args);
    const dlqUrl = (endpoint: string) => stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl(endpoint)]!;
    const visible = async (queueUrl: string) =>
      Number(
        (
          await sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
          )
        ).Attributes!.ApproximateNumberOfMessages,
      );

    it('dlq pull --target aws writes standard, claim-checked and FIFO dead letters with their whole envelope, masks --redact fields, and leaves them in the DLQ', async () => {
      const ordersArn = stack.outputs[OUTPUT_KEYS.topicArn('orders')]!;
      const bucket = stack.outputs[OUTPUT_KEYS.payloadBucketName]!;
      const big = JSON.stringify(placed('o-big'));
      const pointer = {
        bucket,
        key: 'claim-check/CartPlaced/big.json',
        size: Buffer.byteLength(big),
        sha256: sha256Hex(big),
      };
      const s3 = new S3Client({ ...motoClientConfig(stack.moto.endpoint), forcePathStyle: true });
      try {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: pointer.key, Body: big }));
      } finally {
        s3.destroy();
      }
      const withReason = (consumer: string) => ({
        [DEAD_LETTER_ATTRIBUTE]: { DataType: 'String', StringValue: reason(consumer) },
      });
      ids.inline = (
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: dlqUrl('warehouse'),
            MessageBody: envelope(ordersArn, JSON.stringify(placed('o-1')), { eventType: 'CartPlaced' }),
            MessageAttributes: withReason('warehouse'),
          }),
        )
      ).MessageId!;
      ids.claimChecked = (
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: dlqUrl('warehouse'),
            MessageBody: envelope(ordersArn, claimCheckBody(pointer), {
              eventType: 'CartPlaced',
              fanoutClaimCheck: 'v1',
            }),
            MessageAttributes: withReason('warehouse'),
          }),
        )
      ).MessageId!;
      ids.fifo = (
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: dlqUrl('ledger'),
            MessageBody: envelope(stack.outputs[OUTPUT_KEYS.topicArn('payments')]!, JSON.stringify(captured), {
              eventType: 'FundsCaptured',
            }),
            MessageAttributes: withReason('ledger'),
            MessageGroupId: 'a-1',
            MessageDeduplicationId: 'dedup-1',
          }),
        )
      ).MessageId!;

      const warehouseFile = join(dir, 'warehouse.ndjson');
      const pulled = await aws(
        'dlq',
        'pull',
        'warehouse',
        '--target',
        'aws',
        '--out',
        warehouseFile,
        '--redact',
        'email',
      );
      expect({ code: pulled.code, stderr: pulled.stderr }).toEqual({ code: 0, stderr: '' });
      expect(pulled.stdout).toBe(
        `Pulled 2 dead letter(s) of 'warehouse' from ${dlqUrl('warehouse')} into ${warehouseFile} (still in the DLQ).\n` +
          'Redacted: email (in 2 payload(s)).\n' +
          `Next: npx fanout dlq reproduce ${warehouseFile}\n`,
      );
      const ledgerFile = join(dir, 'ledger.ndjson');
      const pulledFifo = await aws('dlq', 'pull', 'ledger', '--target', 'aws', '--out', ledgerFile);
      expect({ code: pulledFifo.code, stderr: pulledFifo.stderr }).toEqual({ code: 0, stderr: '' });
      expect([await visible(dlqUrl('warehouse')), await visible(dlqUrl('ledger'))]).toEqual([2, 1]);

      const warehouse = parseDeadLetterFile(warehouseFile, readFileSync(warehouseFile, 'utf8'));
      expect(warehouse.header).toMatchObject({
        format: 'fanout-dead-letter/v1',
        stack: STACK,
        consumer: 'warehouse',
        source: 'queue',
        fifo: false,
        deadLetterQueueUrl: dlqUrl('warehouse'),
        count: 2,
        redacted: ['email'],
      });
      const byId = new Map(warehouse.records.map((r) => [r.messageId, r]));
      const masked = (orderId: string) => ({ ...placed(orderId), email: 'xxx@xxxx.xx' });
      const inline = byId.get(ids.inline)!;
      expect(JSON.parse(inline.payload)).toEqual(masked('o-1'));
      expect(inline).toMatchObject({
        eventType: 'CartPlaced',
        reason: { kind: 'handler-error', consumer: 'warehouse', receiveCount: 3 },
        snsEnvelope: { Type: 'Notification', TopicArn: ordersArn },
        messageAttributes: { [DEAD_LETTER_ATTRIBUTE]: { dataType: 'String', stringValue: reason('warehouse') } },
      });
      expect(inline.systemAttributes.ApproximateReceiveCount).toBe('1');
      expect(JSON.stringify(inline)).not.toContain('ann@shop.io');
      const claimChecked = byId.get(ids.claimChecked)!;
      expect(claimChecked.claimCheck).toEqual(pointer);
      expect(JSON.parse(claimChecked.payload)).toEqual(masked('o-big'));

      const ledger = parseDeadLetterFile(ledgerFile, readFileSync(ledgerFile, 'utf8'));
      expect(ledger.header).toMatchObject({ consumer: 'ledger', fifo: true, count: 1, redacted: [] });
      const [fifo] = ledger.records as DeadLetterRecord[];
      expect(fifo!.messageId).toBe(ids.fifo);
      expect(fifo!.systemAttributes).toMatchObject({ MessageGroupId: 'a-1', MessageDeduplicationId: 'dedup-1' });
      expect(JSON.parse(fifo!.payload)).toEqual(captured);
    });

    it(
      'dlq reproduce with the handler that has the bug exits 1 and prints each letter, its reason and the stack',
      async () => {
        for (const consumer of ['warehouse', 'ledger']) {
          const file = join(dir, `${consumer}.ndjson`);
          const { code, stdout, stderr } = await local(
            'dlq',
            'reproduce',
            file,
            '--assembly',
            failing.assemblyDir,
            '--stack',
            failing.stackName,
          );
          expect({ consumer, code, stderr }).toEqual({ consumer, code: 1, stderr: '' });
          const expected =
            consumer === 'warehouse'
              ? [
                  [ids.inline, 'CartPlaced', 'order o-1'],
                  [ids.claimChecked, 'CartPlaced', 'order o-big'],
                ]
              : [[ids.fifo, 'FundsCaptured', 'payment p-1']];
          const summary = stdout.slice(stdout.indexOf('still fail:'));
          expect(summary.split('\n')[0]).toBe('still fail:');
          expect(stdout).toContain(`${expected.length} of ${expected.length} dead letter(s) still fail:`);
          for (const [id, eventType, key] of expected) {
            expect(summary).toMatch(
              new RegExp(`  FAIL  ${id} ${eventType}: failed: .*fixture bug: cannot handle ${key}`),
            );
          }
          expect(stdout).toMatch(
            / failed (CartPlaced|FundsCaptured) .*fixture bug: cannot handle .*\n {4}Error: fixture bug/,
          );
        }
      },
      REPRODUCE_TEST_MS,
    );

    it(
      'dlq reproduce with the fixed handler exits 0: every letter, claim-checked and FIFO ones included, now succeeds',
      async () => {
        for (const [consumer, count] of [
          ['warehouse', 2],
          ['ledger', 1],
        ] as const) {
          const file = join(dir, `${consumer}.ndjson`);
          const { code, stdout, stderr } = await local(
            'dlq',
            'reproduce',
            file,
            '--assembly',
            fixed.assemblyDir,
            '--stack',
            fixed.stackName,
          );
          expect({ consumer, code, stderr }).toEqual({ consumer, code: 0, stderr: '' });
          expect(stdout.match(/^ {2}ok {4}\S+ \S+: processed$/gm)).toHaveLength(count);
          expect(stdout).toContain(`All ${count} dead letter(s) now succeed.`);
        }
      },
      REPRODUCE_TEST_MS,
    );
  },
);

describe('dlq reproduce of a file it cannot or need not run: one line, no local cloud', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fanout-reproduce-errors-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const reproduce = (file: string) => runFanout(process.env, 'dlq', 'reproduce', file, '--no-synth');
  const header = {
    format: 'fanout-dead-letter/v1',
    stack: 'fanout-prod',
    consumer: 'warehouse',
    source: 'queue',
    fifo: false,
    deadLetterQueueUrl: 'https://sqs/1/q',
    pulledAt: '2026-12-06T19:00:00.000Z',
    count: 0,
    redacted: [],
  };

  it('a file of no dead letters: nothing to reproduce, exit 0, no local cloud started', async () => {
    const file = join(dir, 'empty.ndjson');
    writeFileSync(file, `${JSON.stringify(header)}\n`);
    expect(await reproduce(file)).toEqual({
      code: 0,
      stdout: `${file} holds no dead letters (the DLQ of 'warehouse' was empty when pulled): nothing to reproduce.\n`,
      stderr: '',
    });
  });

  it('a file that does not exist', async () => {
    const file = join(dir, 'missing.ndjson');
    expect(await reproduce(file)).toEqual({
      code: 1,
      stdout: '',
      stderr: `DeadLetterFileError: Dead-letter file ${file} does not exist. Fix: pass the file \`fanout dlq pull <consumer>\` wrote (by default <consumer>.dead-letters.ndjson).\n`,
    });
  });

  it('a file of another format version', async () => {
    const file = join(dir, 'v2.ndjson');
    writeFileSync(file, `${JSON.stringify({ ...header, format: 'fanout-dead-letter/v2' })}\n`);
    expect(await reproduce(file)).toEqual({
      code: 1,
      stdout: '',
      stderr: `DeadLetterFileError: ${file} has format 'fanout-dead-letter/v2'; this fanout reads 'fanout-dead-letter/v1'. Fix: pull the letters again with this fanout, or reproduce them with the fanout version that pulled them.\n`,
    });
  });

  it('a consumer that is not in this app', async () => {
    const file = join(dir, 'other.ndjson');
    writeFileSync(file, `${JSON.stringify({ ...header, consumer: 'billing' })}\n`);
    const consumers = 'inventory, email, warehouse, analytics, ledger, audit, jobs';
    const result = await reproduce(file);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `ReproduceError: Consumer 'billing' of ${file} is not in this app's topology (its consumers: ${consumers}). Fix: run the command in the app the letters came from.\n`,
    });
  });
});
