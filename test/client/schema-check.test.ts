import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOperator, type OperatorContext } from '../../client/operator.ts';
import { checkDeadLetterSchemas } from '../../client/schema-check.ts';
import { queueAttributes } from '../../client/sqs-util.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';

// Messages wait in a DLQ while the schemas move on: `schema check` says which of them the current
// schemas would reject before anyone replays them.
let stack: FauxqsStack;
let ops: OperatorContext;
let app: string;
let registry: string;
const ids: Record<string, string> = {};

const cart = {
  orderId: 'o-1',
  customerId: 'c-1',
  email: 'c-1@example.com',
  items: [{ sku: 'sku-1', quantity: 1 }],
  totalCents: 100,
};

async function deadLetter(name: string, eventType: string, payload: unknown): Promise<void> {
  const { MessageId } = await stack.clients.sqs.send(
    new SendMessageCommand({
      QueueUrl: stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('warehouse')]!,
      MessageBody: JSON.stringify(payload),
      MessageAttributes: { eventType: { DataType: 'String', StringValue: eventType } },
    }),
  );
  ids[name] = MessageId!;
}

async function fanout(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, FANOUT_LOCAL_REGISTRY: registry, NO_COLOR: '1', FORCE_COLOR: '0' };
  // Run in the app's directory (where its fanout.config.ts is), with this repository's CLI and tsx.
  const [cli, tsx] = [resolve('bin/fanout.ts'), pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href];
  return promisify(execFile)(process.execPath, ['--import', tsx, cli, ...args], { env, cwd: app }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

beforeAll(async () => {
  stack = await startFauxqsStack();
  ops = await connectOperator({ topology: fixtureTopology, source: stack.source, clients: stack.clients });
  await deadLetter('valid', 'CartPlaced', cart);
  // Published before totalCents became required.
  await deadLetter('old', 'CartPlaced', { ...cart, totalCents: undefined });
  await deadLetter('retired', 'CartRetired', { orderId: 'o-2' });
  app = mkdtempSync(join(tmpdir(), 'fanout-schema-check-'));
  const topology = resolve('test/fixtures/app/topology.ts');
  writeFileSync(
    join(app, 'fanout.config.ts'),
    `import { fixtureTopology } from ${JSON.stringify(topology)};\nexport default { topology: fixtureTopology };\n`,
  );
  registry = join(app, 'local.json');
  const endpoint = stack.server.address;
  writeFileSync(
    registry,
    JSON.stringify({
      pid: process.pid,
      region: 'us-east-1',
      endpoints: { sqs: endpoint, sns: endpoint, s3: endpoint },
      stacks: { 'fanout-dev': { outputs: stack.outputs } },
    }),
  );
});
afterAll(async () => {
  ops?.close();
  await stack?.stop();
});

describe('schema check --against dlq', () => {
  it('lists each waiting message the current schemas reject, and leaves every message in the DLQ', async () => {
    const result = await checkDeadLetterSchemas(ops, ['warehouse']);
    expect(result.checked).toEqual({ warehouse: 3 });
    expect(result.violations).toEqual([
      {
        source: 'warehouse',
        messageId: ids.old,
        eventType: 'CartPlaced',
        issue: expect.stringMatching(
          /^Payload of event type 'CartPlaced' is invalid: field 'totalCents' breaks rule 'object' \(Invalid key: Expected "totalCents" but received undefined\)/,
        ),
      },
      {
        source: 'warehouse',
        messageId: ids.retired,
        eventType: 'CartRetired',
        issue: expect.stringContaining("'CartRetired'"),
      },
    ]);
    const dlq = stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('warehouse')]!;
    const depth = await queueAttributes(stack.clients.sqs, dlq, ['ApproximateNumberOfMessages']);
    expect(depth.ApproximateNumberOfMessages).toBe('3');
  });

  it('refuses a subscriber named without a DLQ instead of passing it', async () => {
    await expect(checkDeadLetterSchemas(ops, ['analytics'])).rejects.toThrow(
      "Subscriber 'analytics' is at-most-once and has no DLQ: failed messages are dropped, not kept.",
    );
  });

  it('the CLI prints each one and exits 1; every subscriber with a DLQ is checked when none is named', async () => {
    const { code, stdout } = await fanout('schema', 'check', '--against', 'dlq', '--json');
    expect(code).toBe(1);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { messageId: string; eventType: string });
    expect(lines.map((l) => [l.messageId, l.eventType])).toEqual([
      [ids.old, 'CartPlaced'],
      [ids.retired, 'CartRetired'],
    ]);
    const table = await fanout('schema', 'check', 'warehouse');
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('2 of 3 waiting message(s) (warehouse 3) would fail the current schemas:');
    expect(table.stdout).toContain(ids.old!);
  });
});
