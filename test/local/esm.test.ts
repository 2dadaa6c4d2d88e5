import { createHash } from 'node:crypto';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/index.ts';
import { probeConsumer, resultsTable } from './fixtures/fixture-app.ts';
import { physicalId, probeInvocations, startFixture, waitFor, type ProbeInvocation } from '../support/local-cloud.ts';

/** Queue timers in the fixture are 30 s; at time scale 30 they take 1 s. */
const TIME_SCALE = 30;
let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startFixture(
    'EsmFixture',
    (stack) => {
      const results = resultsTable(stack);
      probeConsumer(stack, 'Shape', results);
      // AWS wants the visibility timeout to cover the batching window plus the function timeout.
      probeConsumer(stack, 'Window', results, {
        batchSize: 25,
        batchingWindowSeconds: 30,
        visibilityTimeoutSeconds: 120,
        maxConcurrency: 2,
      });
      probeConsumer(stack, 'NoReport', results, { reportBatchItemFailures: false });
      probeConsumer(stack, 'Capped', results, { batchSize: 1, maxConcurrency: 2 });
      probeConsumer(stack, 'Ordered', results, { fifo: true, batchSize: 10 });
    },
    { timeScale: TIME_SCALE },
  );
});
afterAll(() => cloud?.stop());

const queue = (name: string) => physicalId(cloud, `${name}Queue`, 'AWS::SQS::Queue');
const dlq = (name: string) => physicalId(cloud, `${name}Dlq`, 'AWS::SQS::Queue');
const fn = (name: string) => physicalId(cloud, `${name}Function`, 'AWS::Lambda::Function');
const invocationsOf = async (name: string) =>
  (await probeInvocations(cloud)).filter((i) => i.functionName === fn(name));
const recordsOf = (invocations: ProbeInvocation[]) => invocations.flatMap((i) => i.event.Records);
const send = (name: string, body: object) =>
  cloud.clients.sqs.send(new SendMessageCommand({ QueueUrl: queue(name), MessageBody: JSON.stringify(body) }));
const dlqBodies = async (name: string) => {
  const { Messages = [] } = await cloud.clients.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: dlq(name), MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
  );
  return Messages.map((m) => JSON.parse(m.Body!) as { id: string });
};
const messagesIn = async (url: string) => {
  const { Attributes } = await cloud.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Number(Attributes!.ApproximateNumberOfMessages) + Number(Attributes!.ApproximateNumberOfMessagesNotVisible);
};

describe('SQS event source mapping', () => {
  it('delivers records in the Lambda shape', async () => {
    const body = JSON.stringify({ id: 'shape-1', mode: 'ok' });
    const sent = await cloud.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: queue('Shape'),
        MessageBody: body,
        MessageAttributes: {
          color: { DataType: 'String', StringValue: 'blue' },
          size: { DataType: 'Number', StringValue: '42' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from('hi') },
        },
      }),
    );
    const [record] = recordsOf(
      await waitFor('shape invocation', async () => {
        const found = await invocationsOf('Shape');
        return found.length > 0 && found;
      }),
    );
    expect(record).toMatchObject({
      messageId: sent.MessageId,
      body,
      md5OfBody: createHash('md5').update(body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: cloud.resources.get(
        cloud.resources.all().find((r) => r.physicalId === queue('Shape'))!.logicalId,
      )!.attributes.Arn,
      awsRegion: 'us-east-1',
      messageAttributes: {
        color: { stringValue: 'blue', stringListValues: [], binaryListValues: [], dataType: 'String' },
        size: { stringValue: '42', stringListValues: [], binaryListValues: [], dataType: 'Number' },
        blob: {
          binaryValue: Buffer.from('hi').toString('base64'),
          stringListValues: [],
          binaryListValues: [],
          dataType: 'Binary',
        },
      },
    });
    expect(record!.receiptHandle).toEqual(expect.any(String));
    expect(record!.attributes.ApproximateReceiveCount).toBe('1');
    expect(record!.attributes.SenderId).toEqual(expect.any(String));
    expect(Number(record!.attributes.SentTimestamp)).toBeGreaterThan(Date.now() - 60_000);
    expect(Number(record!.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(
      Number(record!.attributes.SentTimestamp),
    );
  });

  it('deletes the successful records of a partial failure and redrives the failed one to the DLQ after maxReceiveCount', async () => {
    await cloud.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue('Shape'),
        Entries: ['p-ok-1', 'p-fail', 'p-ok-2'].map((id) => ({
          Id: id,
          MessageBody: JSON.stringify({ id, mode: id === 'p-fail' ? 'fail' : 'ok' }),
        })),
      }),
    );
    const dead = await waitFor('failed record in the DLQ', async () => {
      const found = await dlqBodies('Shape');
      return found.length > 0 && found;
    });
    expect(dead.map((b) => b.id)).toEqual(['p-fail']);
    const records = recordsOf(await invocationsOf('Shape')).filter((r) => r.body.includes('"p-'));
    const receives = (id: string) =>
      records.filter((r) => r.body.includes(`"${id}"`)).map((r) => r.attributes.ApproximateReceiveCount);
    expect(receives('p-ok-1')).toEqual(['1']);
    expect(receives('p-ok-2')).toEqual(['1']);
    expect(receives('p-fail')).toEqual(['1', '2', '3']);
  });

  it('fails the whole batch on a thrown error and on a malformed response (messages come back, then go to the DLQ)', async () => {
    await send('Shape', { id: 'thrown', mode: 'throw' });
    await send('Shape', {
      id: 'malformed',
      mode: 'respond',
      response: { batchItemFailures: [{ itemIdentifier: '' }] },
    });
    const dead = await waitFor('both in the DLQ', async () => {
      const found = await dlqBodies('Shape');
      return found.filter((b) => b.id === 'thrown' || b.id === 'malformed').length === 2 && found;
    });
    expect(dead.map((b) => b.id)).toEqual(expect.arrayContaining(['thrown', 'malformed']));
    const records = recordsOf(await invocationsOf('Shape'));
    expect(records.filter((r) => r.body.includes('"thrown"'))).toHaveLength(3);
    expect(records.filter((r) => r.body.includes('"malformed"'))).toHaveLength(3);
    expect(cloud.lambdas.stats(fn('Shape')).errors).toBeGreaterThanOrEqual(3);
  });

  it('ignores the response without ReportBatchItemFailures: reported failures are deleted', async () => {
    await send('NoReport', { id: 'ignored', mode: 'fail' });
    await waitFor('invocation', async () => (await invocationsOf('NoReport')).length > 0);
    // In flight counts too: a record left for a retry would stay in the queue, hidden.
    await waitFor('queue empty', async () => (await messagesIn(queue('NoReport'))) === 0);
    expect(recordsOf(await invocationsOf('NoReport'))).toHaveLength(1);
    expect(await dlqBodies('NoReport')).toEqual([]);
  });

  it('collects up to BatchSize records within MaximumBatchingWindowInSeconds', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `w${i}`);
    for (let i = 0; i < ids.length; i += 10) {
      await cloud.clients.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queue('Window'),
          Entries: ids.slice(i, i + 10).map((id) => ({ Id: id, MessageBody: JSON.stringify({ id }) })),
        }),
      );
    }
    const invocations = await waitFor('all 25 processed', async () => {
      const found = await invocationsOf('Window');
      return recordsOf(found).length === 25 && found;
    });
    // Two pollers share 25 messages sent at once: within the window one batch holds at least 13,
    // more than one receive (10) returns.
    const sizes = invocations.map((i) => i.event.Records.length);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(13);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(25);
  });

  it('runs at most ScalingConfig.MaximumConcurrency batches at once', async () => {
    await cloud.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue('Capped'),
        Entries: Array.from({ length: 8 }, (_, i) => ({
          Id: `c${i}`,
          MessageBody: JSON.stringify({ id: `c${i}`, mode: 'sleep', ms: 300 }),
        })),
      }),
    );
    await waitFor('8 processed', async () => recordsOf(await invocationsOf('Capped')).length === 8);
    const poller = cloud.pollers.find((p) => p.config.functionName === fn('Capped'))!;
    expect(poller.config.concurrency).toBe(2);
    expect(poller.stats.peakConcurrentBatches).toBe(2);
  });

  it('never hands a batch out again while its invocation may still run, though the time scale shortens the visibility timeout', async () => {
    // Scaled, the queue hides a message for 1 s; the function may run for 10 s, as the template allows.
    await send('Capped', { id: 'slow-1', mode: 'sleep', ms: 2_500 });
    await waitFor('the slow invocation', async () =>
      recordsOf(await invocationsOf('Capped')).some((r) => r.body.includes('slow-1')),
    );
    // Deleted only when its one invocation returned: a second hand-out would have come before.
    await waitFor('the slow message deleted', async () => (await messagesIn(queue('Capped'))) === 0);
    const seen = recordsOf(await invocationsOf('Capped')).filter((r) => r.body.includes('slow-1'));
    expect(seen.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1']);
  });

  it('keeps FIFO order per message group under injected failures', async () => {
    const groups = ['acct-a', 'acct-b', 'acct-c'];
    for (let seq = 0; seq < 5; seq++) {
      for (const group of groups) {
        const failing = seq === 1 || (group === 'acct-b' && seq === 3);
        await cloud.clients.sqs.send(
          new SendMessageCommand({
            QueueUrl: queue('Ordered'),
            MessageGroupId: group,
            MessageBody: JSON.stringify({
              id: `${group}-${seq}`,
              group,
              seq,
              ...(failing ? { mode: 'fail', untilReceive: 2 } : {}),
            }),
          }),
        );
      }
    }
    const records = await waitFor('15 processed', async () => {
      const all = recordsOf(await invocationsOf('Ordered'));
      const succeeded = all.filter((r) => {
        const body = JSON.parse(r.body) as { mode?: string; untilReceive?: number };
        return !(body.mode === 'fail' && Number(r.attributes.ApproximateReceiveCount) < body.untilReceive!);
      });
      return succeeded.length === 15 && succeeded;
    });
    for (const group of groups) {
      const order = records
        .filter((r) => r.attributes.MessageGroupId === group)
        .map((r) => (JSON.parse(r.body) as { seq: number }).seq);
      expect(order).toEqual([0, 1, 2, 3, 4]);
    }
    expect(records[0]!.attributes.SequenceNumber).toEqual(expect.any(String));
  });
});
