import { describe, expect, it } from 'vitest';
import {
  DEAD_LETTER_FILE_FORMAT,
  type DeadLetterFile,
  formatDeadLetterFile,
  joinSnsEnvelope,
  parseDeadLetterFile,
  splitSnsEnvelope,
} from '../../contracts/dead-letter-file.ts';

const file: DeadLetterFile = {
  header: {
    format: DEAD_LETTER_FILE_FORMAT,
    stack: 'fanout-prod',
    consumer: 'ledger',
    source: 'queue',
    fifo: true,
    deadLetterQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/fanout-prod-ledger-dlq.fifo',
    pulledAt: '2026-12-06T20:00:00.000Z',
    count: 1,
    redacted: ['accountId'],
  },
  records: [
    {
      messageId: 'm-1',
      systemAttributes: { ApproximateReceiveCount: '2', MessageGroupId: 'a-1', MessageDeduplicationId: 'd-1' },
      messageAttributes: { fanoutDeadLetter: { dataType: 'String', stringValue: '{"kind":"handler-error"}' } },
      snsEnvelope: { Type: 'Notification', TopicArn: 'arn:aws:sns:eu-west-1:1:payments.fifo' },
      eventType: 'FundsCaptured',
      payload: '{"paymentId":"p-1","accountId":""}',
    },
  ],
};

describe('the dead-letter file (fanout-dead-letter/v1)', () => {
  it('is a header line then one line per record, and reads back as written', () => {
    const text = formatDeadLetterFile(file);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!).format).toBe('fanout-dead-letter/v1');
    expect(parseDeadLetterFile('f.ndjson', text)).toEqual(file);
  });

  it('refuses another version of the format, naming both versions and the fix', () => {
    const text = formatDeadLetterFile(file).replace('fanout-dead-letter/v1', 'fanout-dead-letter/v2');
    expect(() => parseDeadLetterFile('f.ndjson', text)).toThrow(
      "f.ndjson has format 'fanout-dead-letter/v2'; this fanout reads 'fanout-dead-letter/v1'. Fix: pull the letters again with this fanout, or reproduce them with the fanout version that pulled them.",
    );
  });

  it('refuses a file that is not a dead-letter file (e.g. a publish file)', () => {
    expect(() => parseDeadLetterFile('events.ndjson', '{"eventType":"CartPlaced","payload":{}}\n')).toThrow(
      'events.ndjson is not a dead-letter file: its first line must be a header with "format": "fanout-dead-letter/v1". Fix: pass a file written by `fanout dlq pull`.',
    );
  });

  it('refuses a file cut short, an empty file and a line that is not JSON', () => {
    const text = formatDeadLetterFile({ ...file, header: { ...file.header, count: 2 } });
    expect(() => parseDeadLetterFile('f.ndjson', text)).toThrow(
      'f.ndjson holds 1 dead letter(s) but its header says 2: it was cut or edited. Fix: pull the letters again.',
    );
    expect(() => parseDeadLetterFile('f.ndjson', '\n')).toThrow('f.ndjson is empty.');
    expect(() => parseDeadLetterFile('f.ndjson', `${formatDeadLetterFile(file)}{oops\n`)).toThrow(
      /^f\.ndjson line 3 is not JSON \(.+\)\. Fix: pass the file `fanout dlq pull` wrote, unedited\.$/,
    );
  });

  it('splits an SNS envelope from its message and joins them again; a raw body has no envelope', () => {
    const body = JSON.stringify({ Type: 'Notification', MessageId: 's-1', Message: '{"a":1}' });
    const { envelope, message } = splitSnsEnvelope(body);
    expect({ envelope, message }).toEqual({ envelope: { Type: 'Notification', MessageId: 's-1' }, message: '{"a":1}' });
    expect(JSON.parse(joinSnsEnvelope(envelope, '{"a":2}'))).toEqual({
      Type: 'Notification',
      MessageId: 's-1',
      Message: '{"a":2}',
    });
    expect(splitSnsEnvelope('{"a":1}')).toEqual({ message: '{"a":1}' });
    expect(joinSnsEnvelope(undefined, 'plain')).toBe('plain');
  });
});
