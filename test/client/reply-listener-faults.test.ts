import { SendMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients, type AwsClients } from '../../client/connection.ts';
import { createPublisher, type Publisher } from '../../client/publisher.ts';
import { queueAttributes } from '../../client/sqs-util.ts';
import { buildReply, REQUEST_REPLY } from '../../contracts/request-reply.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { connectionReset, intercept } from './support/intercept.ts';
import { drain } from '../support/drain.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

let stack: FauxqsStack;
beforeAll(async () => {
  stack = await startFauxqsStack();
});
afterAll(() => stack.stop());

/** Warnings as they arrive, and a way to wait for the n-th. */
function warnings() {
  const seen: string[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  return {
    seen,
    onWarning: (message: string) => {
      seen.push(message);
      for (const w of waiting.filter((w) => seen.length >= w.count)) w.resolve();
    },
    reached: (count: number) =>
      seen.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ count, resolve })),
  };
}

/** Receives `count` job requests, as a consumer would. */
const jobs = (count: number) =>
  drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!, {
    max: count,
    quietReceives: 5,
    waitSeconds: 1,
  });
const attribute = (m: Message, name: string) => m.MessageAttributes![name]!.StringValue!;
const answer = (m: Message) =>
  stack.clients.sqs.send(
    new SendMessageCommand(
      buildReply(
        { replyTo: attribute(m, 'replyTo'), correlationId: attribute(m, 'correlationId') },
        { ok: true, result: JSON.parse(m.Body!).jobId },
      )!,
    ),
  );
const sendRaw = (queueUrl: string, body: string, correlationId?: string) =>
  stack.clients.sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body,
      ...(correlationId
        ? {
            MessageAttributes: {
              [REQUEST_REPLY.correlationIdAttribute]: { DataType: 'String', StringValue: correlationId },
            },
          }
        : {}),
    }),
  );
const messagesIn = async (queueUrl: string) => {
  const a = await queueAttributes(stack.clients.sqs, queueUrl, [
    'ApproximateNumberOfMessages',
    'ApproximateNumberOfMessagesNotVisible',
  ]);
  return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible);
};
const request = (publisher: Publisher<typeof fixtureTopology>, jobId: string) =>
  publisher.request(
    'TaskRequested',
    { jobId, kind: 'checksum', input: 'x' },
    { correlationId: `corr-${jobId}`, timeoutMs: 60_000 },
  );

describe('reply listener', () => {
  it('retries failed polls with backoff: waiting requests still get their replies', async () => {
    const clients: AwsClients = createClients(stack.connection);
    let failuresLeft = 3;
    intercept(clients.sqs, async (command, input, send) => {
      if (command === 'ReceiveMessageCommand' && String(input.QueueUrl).includes('-reply-') && failuresLeft > 0) {
        failuresLeft--;
        throw connectionReset();
      }
      return send(input);
    });
    const warned = warnings();
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: stack.source,
      clients,
      backoffBaseMs: 1,
      onWarning: warned.onWarning,
    });
    const replies = [request(publisher, 'j-1'), request(publisher, 'j-2')];
    await warned.reached(3);
    for (const m of await jobs(2)) await answer(m);
    expect(await Promise.all(replies)).toEqual(['j-1', 'j-2']);
    expect(warned.seen).toHaveLength(3);
    expect(warned.seen[0]).toMatch(
      /^Polling reply queue http:\/\/\S+fanout-dev-reply-\w+ failed \(Error: socket hang up\); retrying in \d+ ms \(failure 1 in a row\)\. Waiting requests keep waiting until their own timeout\.$/,
    );
    await publisher.close();
    clients.destroy();
  });

  it('deletes malformed replies and reports them; the other requests still resolve', async () => {
    const warned = warnings();
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: stack.source,
      clients: stack.clients,
      onWarning: warned.onWarning,
    });
    const replies = [request(publisher, 'j-3'), request(publisher, 'j-4')];
    const served = await jobs(2);
    const replyQueue = attribute(served[0]!, 'replyTo');
    const garbage = [
      await sendRaw(replyQueue, 'not json', 'corr-nobody'),
      await sendRaw(replyQueue, '{"ok":true,"result":1}'),
      await sendRaw(replyQueue, '{"hello":"world"}', 'corr-nobody-either'),
    ];
    await warned.reached(3);
    expect(warned.seen.sort()).toEqual(
      [
        `Deleted a malformed reply (message ${garbage[0]!.MessageId}) from reply queue ${replyQueue}: its body "not json" is not {"ok":true,"result":…} or {"ok":false,"error":"…"}.`,
        `Deleted a malformed reply (message ${garbage[1]!.MessageId}) from reply queue ${replyQueue}: it has no 'correlationId' attribute.`,
        `Deleted a malformed reply (message ${garbage[2]!.MessageId}) from reply queue ${replyQueue}: its body "{\\"hello\\":\\"world\\"}" is not {"ok":true,"result":…} or {"ok":false,"error":"…"}.`,
      ].sort(),
    );
    expect(await messagesIn(replyQueue)).toBe(0);
    for (const m of served) await answer(m);
    expect(await Promise.all(replies)).toEqual(['j-3', 'j-4']);
    await publisher.close();
  });

  it('a malformed reply to a waiting request fails that request only', async () => {
    const warned = warnings();
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: stack.source,
      clients: stack.clients,
      onWarning: warned.onWarning,
    });
    const broken = request(publisher, 'j-5');
    const fine = request(publisher, 'j-6');
    const served = await jobs(2);
    const replyQueue = attribute(served[0]!, 'replyTo');
    await sendRaw(replyQueue, '{"ok":', 'corr-j-5');
    await expect(broken).rejects.toThrow(
      'The reply to correlationId corr-j-5 is malformed: its body "{\\"ok\\":" is not {"ok":true,"result":…} or {"ok":false,"error":"…"}. ' +
        "Fix: answer requests with the consumer runtime's reply().",
    );
    await answer(served.find((m) => attribute(m, 'correlationId') === 'corr-j-6')!);
    await expect(fine).resolves.toBe('j-6');
    await warned.reached(1);
    expect(await messagesIn(replyQueue)).toBe(0);
    await publisher.close();
  });
});
