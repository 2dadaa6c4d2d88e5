import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PurgeQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { purgeDeadLetters } from '../../client/dlq-purge.ts';
import { replayDeadLetters } from '../../client/dlq-replay.ts';
import { PermanentFailuresError } from '../../client/errors.ts';
import { connectOperator, type OperatorContext } from '../../client/operator.ts';
import { queueAttributes } from '../../client/sqs-util.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { DEAD_LETTER_ATTRIBUTE, encodeDeadLetterReason } from '../../contracts/dead-letter.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';

let stack: FauxqsStack;
let ops: OperatorContext;
let registry: string;
let dlqUrl: string;
let queueUrl: string;

async function fanout(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, FANOUT_LOCAL_REGISTRY: registry, NO_COLOR: '1', FORCE_COLOR: '0' };
  return promisify(execFile)(process.execPath, ['--import', 'tsx', 'bin/fanout.ts', ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

/** Dead letters with the reason the consumer runtime attaches (none for SQS's own redrive). */
async function deadLetters(...kinds: (string | undefined)[]): Promise<void> {
  for (const [i, kind] of kinds.entries()) {
    const reason = kind && {
      kind,
      message: `${kind} #${i}`,
      receiveCount: 1,
      consumer: 'warehouse',
      originalMessageId: `m-${i}`,
      deadLetteredAt: new Date().toISOString(),
    };
    await stack.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: dlqUrl,
        MessageBody: JSON.stringify({ orderId: `o-${i}` }),
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: 'CartPlaced' },
          ...(reason
            ? { [DEAD_LETTER_ATTRIBUTE]: { DataType: 'String', StringValue: encodeDeadLetterReason(reason) } }
            : {}),
        },
      }),
    );
  }
}

const depth = async (url: string) =>
  Number((await queueAttributes(stack.clients.sqs, url, ['ApproximateNumberOfMessages'])).ApproximateNumberOfMessages);

beforeAll(async () => {
  stack = await startFauxqsStack();
  ops = await connectOperator({ topology: fixtureTopology, source: stack.source, clients: stack.clients });
  dlqUrl = stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('warehouse')]!;
  queueUrl = stack.outputs[OUTPUT_KEYS.queueUrl('warehouse')]!;
  registry = join(mkdtempSync(join(tmpdir(), 'fanout-purge-')), 'local.json');
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
beforeEach(async () => {
  for (const url of [dlqUrl, queueUrl]) await stack.clients.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
});
afterAll(async () => {
  ops?.close();
  await stack?.stop();
});

describe('dlq purge', () => {
  it('deletes every dead letter and counts them', async () => {
    await deadLetters('retries-exhausted', undefined, 'schema-validation', 'permanent');
    expect(await purgeDeadLetters(ops, 'warehouse')).toEqual({ purged: 4, arrivedDuringPurge: 0, failed: [] });
    expect(await depth(dlqUrl)).toBe(0);
  });

  it('refuses without a terminal or --yes, naming the fix; with --yes prints the count', async () => {
    await deadLetters('retries-exhausted', 'retries-exhausted', 'schema-validation');
    const refused = await fanout('dlq', 'purge', 'warehouse');
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      "FanoutClientError: Purging the DLQ of 'warehouse' deletes its messages for good, and there is no terminal to confirm on. Fix: pass --yes.",
    );
    expect(await depth(dlqUrl)).toBe(3);
    const purged = await fanout('dlq', 'purge', 'warehouse', '--yes');
    expect(purged.code).toBe(0);
    expect(purged.stdout.trim()).toBe(`Purged 3 message(s) from ${dlqUrl}.`);
    expect(await depth(dlqUrl)).toBe(0);
  });
});

describe('dlq replay of failures a replay cannot fix', () => {
  const refusal =
    "2 message(s) in the DLQ of 'warehouse' failed for a reason a replay cannot fix, so they would land in the DLQ again: " +
    "schema-validation ×2 (its payload does not match the event's schema, and a replay sends the same payload). " +
    'Fix: leave them out with --filter, fix the cause first, or replay anyway with --force (or purge them: fanout dlq purge warehouse).';

  it('throws before moving anything, says why; force replays them', async () => {
    await deadLetters('schema-validation', 'retries-exhausted', 'schema-validation');
    const refused = await replayDeadLetters(ops, 'warehouse', { method: 'manual' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PermanentFailuresError);
    expect((refused as Error).message).toBe(refusal);
    expect([await depth(dlqUrl), await depth(queueUrl)]).toEqual([3, 0]);
    const forced = await replayDeadLetters(ops, 'warehouse', { method: 'manual', force: true });
    expect(forced.moved).toBe(3);
  });

  it('the CLI needs --force for them', async () => {
    await deadLetters('schema-validation', 'schema-validation', undefined);
    const refused = await fanout('dlq', 'replay', 'warehouse');
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(`PermanentFailuresError: ${refusal}`);
    expect(await depth(dlqUrl)).toBe(3);
    const forced = await fanout('dlq', 'replay', 'warehouse', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`Moved 3 message(s) from ${dlqUrl} to ${queueUrl} (manual move).`);
  });
});
