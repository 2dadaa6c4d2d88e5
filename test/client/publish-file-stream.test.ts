import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputFileError } from '../../client/errors.ts';
import { lineRanges, publishEventFile } from '../../client/publish-file.ts';
import { createPublisher, type Publisher } from '../../client/publisher.ts';
import { queueAttributes } from '../../client/sqs-util.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';

// NDJSON inputs are read as a stream of bytes, line by line: a BOM or CRLF endings are accepted,
// an input of any size is never held whole, and a line over the line limit is refused in one line.
let stack: FauxqsStack;
let publisher: Publisher<typeof fixtureTopology>;
const job = (i: number) =>
  JSON.stringify({ eventType: 'TaskRequested', payload: { jobId: `j-${i}`, kind: 'checksum', input: 'x' } });
const jobsDepth = async () =>
  Number(
    (
      await queueAttributes(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!, [
        'ApproximateNumberOfMessages',
      ])
    ).ApproximateNumberOfMessages,
  );

beforeAll(async () => {
  stack = await startFauxqsStack();
  publisher = await createPublisher({ topology: fixtureTopology, target: stack.source, clients: stack.clients });
});
afterAll(async () => {
  await publisher.close();
  await stack.stop();
});

describe('publishing a streamed NDJSON input', () => {
  it('accepts a UTF-8 BOM and CRLF line endings, split anywhere across chunks', async () => {
    const bytes = Buffer.from(`\uFEFF${[1, 2, 3].map(job).join('\r\n')}\r\n`, 'utf8');
    // One byte per chunk: the BOM and the CRLFs are split across chunks too.
    const chunks = async function* () {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    };
    const before = await jobsDepth();
    const result = await publishEventFile(publisher, 'jobs', chunks);
    expect(result.failed).toEqual([]);
    expect(lineRanges(result.sent)).toBe('1-3');
    expect(await jobsDepth()).toBe(before + 3);
  });

  it('never has more than maxInFlight publishes outstanding', async () => {
    let outstanding = 0;
    let most = 0;
    const counting = {
      ...publisher,
      target: publisher.target,
      publish: ((...args: Parameters<typeof publisher.publish>) => {
        most = Math.max(most, ++outstanding);
        return publisher.publish(...args).finally(() => outstanding--);
      }) as typeof publisher.publish,
    };
    const text = Array.from({ length: 25 }, (_, i) => job(100 + i)).join('\n');
    const result = await publishEventFile(counting, 'jobs', text, { maxInFlight: 3 });
    expect(lineRanges(result.sent)).toBe('1-25');
    expect(most).toBe(3);
  });

  it('a 600 MiB input is streamed; each line over the line limit is refused in one line, nothing is sent', async () => {
    const line = Buffer.alloc(1024 * 1024, 'x');
    line[line.length - 1] = 0x0a; // 1 MiB per line, LF included
    let read = 0;
    const chunks = async function* () {
      for (let i = 0; i < 600; i++, read++) yield line;
    };
    const before = await jobsDepth();
    const error = (await publishEventFile(publisher, 'jobs', chunks, { maxLineBytes: 65_536 }).catch(
      (e) => e,
    )) as InvalidInputFileError;
    expect(read).toBe(600);
    expect(error).toBeInstanceOf(InvalidInputFileError);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('600 invalid line(s); nothing was sent:');
    expect(lines[1]).toBe(
      '  line 1: is 1048575 bytes, over the 65536-byte line limit. Fix: split the event or shrink its payload.',
    );
    expect(lines).toHaveLength(22);
    expect(lines[21]).toBe('  ... and 580 more');
    expect(await jobsDepth()).toBe(before);
  });

  it('a line whose attributes alone cannot fit is refused before anything is sent', async () => {
    const big = JSON.stringify({
      eventType: 'TaskRequested',
      payload: { jobId: 'j-big', kind: 'checksum', input: 'x' },
      attributes: { note: 'n'.repeat(1_100_000) }, // SQS queues accept 1 MiB
    });
    const before = await jobsDepth();
    const error = (await publishEventFile(publisher, 'jobs', [job(200), big].join('\n')).catch(
      (e) => e,
    )) as InvalidInputFileError;
    expect(error.message).toMatch(
      /^1 invalid line\(s\); nothing was sent:\n {2}line 2: 'TaskRequested' to SQS queue 'jobs' cannot fit: its attributes alone are 1100\d{3} bytes \(largest: 'note', 1100000\); the queue accepts at most 1047552 per message, and a claim-check moves only the payload\. Fix: move large values from the attributes into the payload\.$/,
    );
    expect(await jobsDepth()).toBe(before);
  });
});
