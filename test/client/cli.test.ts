import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher } from '../../client/publisher.ts';
import { queueAttributes } from '../../client/sqs-util.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { exhaustToDlq } from './support/dead-letter.ts';
import { drain } from '../support/drain.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { FANOUT_BIN, FIXTURE_APP_DIR } from './support/fixture-cli.ts';

let stack: FauxqsStack;
let dir: string;
let registry: string;

/** Runs the real CLI in a child process (async: fauxqs serves from this process). */
async function fanout(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', FANOUT_BIN, ...args], {
      cwd: FIXTURE_APP_DIR,
      env: { ...process.env, FANOUT_LOCAL_REGISTRY: registry, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  stack = await startFauxqsStack();
  dir = mkdtempSync(join(tmpdir(), 'fanout-cli-'));
  registry = join(dir, 'local.json');
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
afterAll(() => stack.stop());

describe('fanout CLI', () => {
  it('status prints one row per subscriber with its DLQ depth', async () => {
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: stack.source,
      clients: stack.clients,
    });
    for (let i = 0; i < 3; i++) {
      await publisher.publish('CartPlaced', {
        orderId: `o-${i}`,
        customerId: 'c',
        email: 'a@b.co',
        items: [{ sku: 's', quantity: 1 }],
        totalCents: 1,
      });
    }
    await publisher.close();
    await exhaustToDlq(
      stack.clients.sqs,
      stack.outputs[OUTPUT_KEYS.queueUrl('warehouse')]!,
      stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('warehouse')]!,
      3,
    );
    const { code, stdout } = await fanout('status');
    expect(code).toBe(0);
    const row = (name: string) =>
      stdout
        .split('\n')
        .find((l) => l.includes(name))!
        .split('│')
        .map((c) => c.trim());
    expect(row('orders/inventory').slice(1, 8)).toEqual([
      'orders/inventory',
      'exactly-once',
      '3',
      '0',
      '0',
      'n/a',
      '0',
    ]);
    expect(row('orders/warehouse').slice(1, 8)).toEqual([
      'orders/warehouse',
      'at-least-once',
      '0',
      '0',
      '0',
      'n/a',
      '3',
    ]);
    expect(row('orders/analytics')[7]).toBe('-');
    expect(stdout).toContain('age and alarms: n/a (no CloudWatch endpoint and no local status snapshot)');
  });

  it('dlq peek shows messages and leaves them; dlq replay moves them back', async () => {
    const peek = await fanout('dlq', 'peek', 'warehouse', '--max', '2');
    expect(peek.code).toBe(0);
    expect(peek.stdout).toContain(
      `2 message(s) shown from ${stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('warehouse')]} (still in the DLQ):`,
    );
    expect(peek.stdout.match(/CartPlaced/g)).toHaveLength(2);
    const replay = await fanout('dlq', 'replay', 'warehouse');
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain(
      `Moved 3 message(s) from ${stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('warehouse')]} to ${stack.outputs[OUTPUT_KEYS.queueUrl('warehouse')]} (manual move).`,
    );
    expect(replay.stdout).toContain(
      'note: StartMessageMoveTask is not supported by this endpoint; moved manually (receive, send, delete)',
    );
    const depth = await queueAttributes(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('warehouse')]!, [
      'ApproximateNumberOfMessages',
    ]);
    expect(depth.ApproximateNumberOfMessages).toBe('3');
  });

  it('an unknown subscriber lists the valid ones and exits 1', async () => {
    const { code, stderr } = await fanout('dlq', 'peek', 'shipping');
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      "UnknownSubscriberError: Unknown subscriber 'shipping'. Valid subscribers: inventory, email, warehouse, analytics, ledger, audit, jobs.",
    );
  });

  it('publish sends a file and reports the count; a bad line stops everything with its line number', async () => {
    const good = join(dir, 'good.ndjson');
    writeFileSync(
      good,
      [1, 2, 3]
        .map((i) =>
          JSON.stringify({ eventType: 'TaskRequested', payload: { jobId: `j-${i}`, kind: 'checksum', input: 'x' } }),
        )
        .join('\n'),
    );
    const ok = await fanout('publish', 'jobs', '--file', good);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`Published 3 of 3 event(s) from ${good} to queue 'jobs'.`);
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(
      bad,
      `${JSON.stringify({ eventType: 'TaskRequested', payload: { jobId: 'j', kind: 'checksum', input: 'x' } })}\nnot json\n`,
    );
    const refused = await fanout('publish', 'jobs', '--file', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^InvalidInputFileError: 1 invalid line\(s\); nothing was sent:\n {2}line 2: not JSON \(.+\)\n$/,
    );
    const depth = await queueAttributes(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!, [
      'ApproximateNumberOfMessages',
    ]);
    expect(depth.ApproximateNumberOfMessages).toBe('3');
  });

  it('publish accepts a file that starts with a UTF-8 BOM and has CRLF line endings', async () => {
    const file = join(dir, 'bom.ndjson');
    const lines = [1, 2].map((i) =>
      JSON.stringify({ eventType: 'TaskRequested', payload: { jobId: `j-bom-${i}`, kind: 'checksum', input: 'x' } }),
    );
    writeFileSync(file, `\uFEFF${lines.join('\r\n')}\r\n`);
    const { code, stdout, stderr } = await fanout('publish', 'jobs', '--file', file);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`Published 2 of 2 event(s) from ${file} to queue 'jobs'.`);
  });

  it('publish with a missing file names it in one line', async () => {
    const missing = join(dir, 'missing.ndjson');
    const { code, stderr } = await fanout('publish', 'jobs', '--file', missing);
    expect({ code, stderr }).toEqual({
      code: 1,
      stderr: `EventFileUnreadableError: Cannot read events file ${missing} (ENOENT). Fix: check the path and its permissions.\n`,
    });
  });

  it('publish with a line that can never fit: the file is refused naming that line, exit 1, nothing hangs', async () => {
    const order = (orderId: string, reason: string, attributes?: Record<string, string>) =>
      JSON.stringify({
        eventType: 'CartCancelled',
        payload: { orderId, reason },
        ...(attributes ? { attributes } : {}),
      });
    // Attributes alone over the topic's 256 KiB: refused by the check of the whole file.
    const alone = join(dir, 'attributes-alone.ndjson');
    writeFileSync(alone, [order('o-1', 'r'), order('o-2', 'r', { note: 'n'.repeat(300_000) })].join('\n'));
    const refused = await fanout('publish', 'orders', '--file', alone);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^InvalidInputFileError: 1 invalid line\(s\); nothing was sent:\n {2}line 2: 'CartCancelled' to SNS topic 'orders' cannot fit: its attributes alone are \d+ bytes \(largest: 'note', 300000\); .+ Fix: move large values from the attributes into the payload\.\n$/,
    );
    // Attributes that fit alone, but not beside the claim-check pointer the large payload needs.
    const pointer = join(dir, 'with-pointer.ndjson');
    writeFileSync(
      pointer,
      [order('o-3', 'r'), order('o-4', 'r'.repeat(300_000), { note: 'n'.repeat(261_950) })].join('\n'),
    );
    // Checked as a publish would check it, before anything is sent: refused with the whole file.
    const tooLarge = await fanout('publish', 'orders', '--file', pointer);
    expect(tooLarge.code).toBe(1);
    expect(tooLarge.stderr).toMatch(
      /^InvalidInputFileError: 1 invalid line\(s\); nothing was sent:\n {2}line 2: 'CartCancelled' to SNS topic 'orders' cannot fit: with its payload claim-checked it is still \d+ bytes .+ Fix: move large values from the attributes into the payload\.\n$/,
    );
    for (const name of ['inventory', 'analytics'])
      await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl(name)]!);
  });

  it('without a running local cloud says which stack is missing and how to start it', async () => {
    const { code, stderr } = await fanout('status', '--target', 'local', '--registry', join(dir, 'none.json'));
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `StackOutputsError: No local cloud is running: registry file ${join(dir, 'none.json')} does not exist, so the outputs of stack 'fanout-dev' are unknown. ` +
        'Fix: start the local cloud with `npm start` (or `npx fanout local`), or pass --target aws to use the deployed stack.',
    );
  });
});
