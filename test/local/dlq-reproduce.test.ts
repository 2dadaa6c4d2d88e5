import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEAD_LETTER_FILE_FORMAT,
  type DeadLetterFile,
  type DeadLetterRecord,
} from '../../contracts/dead-letter-file.ts';
import type { LocalCloud } from '../../local/cloud.ts';
import { reproduceDeadLetters } from '../../local/dlq-reproduce.ts';
import { startFixtureCloud } from '../support/fixture-app.ts';

let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startFixtureCloud();
});
afterAll(() => cloud?.stop());

const fileOf = (consumer: string, fifo: boolean, records: DeadLetterRecord[]): DeadLetterFile => ({
  header: {
    format: DEAD_LETTER_FILE_FORMAT,
    stack: 'fanout-prod',
    consumer,
    source: 'queue',
    fifo,
    deadLetterQueueUrl: 'https://sqs/1/dlq',
    pulledAt: '2026-12-06T19:00:00.000Z',
    count: records.length,
    redacted: [],
  },
  records,
});
const captured = (messageId: string): DeadLetterRecord => ({
  messageId,
  // Both letters were deduplicated under this id in production; a resend under it would be dropped.
  systemAttributes: { MessageGroupId: 'a-1', MessageDeduplicationId: 'same-id' },
  messageAttributes: { fanoutDeadLetter: { dataType: 'String', stringValue: '{"kind":"handler-error"}' } },
  snsEnvelope: {
    Type: 'Notification',
    MessageId: `sns-${messageId}`,
    TopicArn: 'arn:aws:sns:eu-west-1:1:fanout-prod-payments.fifo',
    MessageAttributes: { eventType: { Type: 'String', Value: 'FundsCaptured' } },
  },
  eventType: 'FundsCaptured',
  payload: JSON.stringify({ paymentId: `p-${messageId}`, accountId: 'a-1', amountCents: 5 }),
});

describe('reproduceDeadLetters (the local side of fanout dlq reproduce)', () => {
  it('sends FIFO letters of one deduplication id under new ids, in order, and reports each outcome', async () => {
    const file = fileOf('audit', true, [captured('m-1'), captured('m-2')]);
    const seen: string[] = [];
    const letters = await reproduceDeadLetters(cloud, 'f.ndjson', file, {
      timeoutMs: 30_000,
      onResult: (l) => seen.push(l.messageId),
    });
    expect(letters.map((l) => [l.messageId, l.eventType, l.outcome, l.reason])).toEqual([
      ['m-1', 'FundsCaptured', 'processed', undefined],
      ['m-2', 'FundsCaptured', 'processed', undefined],
    ]);
    expect(seen).toEqual(['m-1', 'm-2']);
  });

  it('refuses a consumer the stack does not have, listing the ones it has', async () => {
    await expect(
      reproduceDeadLetters(cloud, 'f.ndjson', fileOf('billing', false, []), { timeoutMs: 1 }),
    ).rejects.toThrow(
      "Consumer 'billing' of f.ndjson is not in stack 'fanout-dev' (its consumers: inventory, email, warehouse, analytics, ledger, audit, jobs). " +
        'Fix: reproduce with the assembly of the app the letters came from (--assembly, --stack).',
    );
  });

  it('refuses a FIFO file for a standard queue', async () => {
    await expect(
      reproduceDeadLetters(cloud, 'f.ndjson', fileOf('warehouse', true, []), { timeoutMs: 1 }),
    ).rejects.toThrow(
      "Consumer 'warehouse' of f.ndjson was FIFO where the letters were pulled, but its queue in stack 'fanout-dev' is standard.",
    );
  });
});
