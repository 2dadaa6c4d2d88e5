import { ListQueuesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestReplyNotConfiguredError } from '../../client/errors.ts';
import { createPublisher } from '../../client/publisher.ts';
import { buildReply, REQUEST_REPLY } from '../../contracts/request-reply.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { drain } from '../support/drain.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

let stack: FauxqsStack;
beforeAll(async () => {
  stack = await startFauxqsStack();
});
afterAll(() => stack.stop());

/** Plays the consumer runtime's reply(): receives `count` jobs and answers each with buildReply. */
async function answerJobs(
  count: number,
  answer: (job: { jobId: string; input: string }) => Parameters<typeof buildReply>[1],
) {
  const messages = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!, {
    max: count,
    quietReceives: 5,
    waitSeconds: 1,
  });
  for (const m of messages.reverse()) {
    const attributes = Object.fromEntries(
      Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]),
    );
    const reply = buildReply(attributes, answer(JSON.parse(m.Body!)));
    await stack.clients.sqs.send(new SendMessageCommand(reply!));
  }
  return messages;
}

describe('request/reply over queues', () => {
  it('correlates concurrent requests with their replies, answered out of order', async () => {
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: stack.source,
      clients: stack.clients,
    });
    const requests = ['a', 'bb', 'ccc'].map((input, i) =>
      publisher.request('TaskRequested', { jobId: `j-${i}`, kind: 'word-count', input }, { timeoutMs: 10_000 }),
    );
    const served = await answerJobs(3, (job) => ({ ok: true, result: { jobId: job.jobId, length: job.input.length } }));
    expect(
      served.every((m) =>
        m.MessageAttributes![REQUEST_REPLY.replyToAttribute]!.StringValue!.includes('fanout-dev-reply-'),
      ),
    ).toBe(true);
    expect(await Promise.all(requests)).toEqual([
      { jobId: 'j-0', length: 1 },
      { jobId: 'j-1', length: 2 },
      { jobId: 'j-2', length: 3 },
    ]);
    await publisher.close();
    const { QueueUrls = [] } = await stack.clients.sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: 'fanout-dev-reply-' }),
    );
    expect(QueueUrls).toEqual([]);
  });

  it('rejects with the error the consumer replied', async () => {
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: stack.source,
      clients: stack.clients,
    });
    const request = publisher.request(
      'TaskRequested',
      { jobId: 'j-err', kind: 'checksum', input: '' },
      { correlationId: 'corr-err' },
    );
    await answerJobs(1, () => ({ ok: false, error: 'input is empty' }));
    await expect(request).rejects.toThrow('The consumer answered correlationId corr-err with an error: input is empty');
    await publisher.close();
  });

  it('times out when nobody replies, and a late reply is dropped', async () => {
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: stack.source,
      clients: stack.clients,
    });
    await expect(
      publisher.request(
        'TaskRequested',
        { jobId: 'j-late', kind: 'checksum', input: 'x' },
        { timeoutMs: 200, correlationId: 'corr-late' },
      ),
    ).rejects.toThrow(
      "No reply to 'TaskRequested' (correlationId corr-late) within 200 ms. Fix: check the consumer is running and calls reply(), or raise the timeout.",
    );
    await answerJobs(1, () => ({ ok: true, result: 'too late' }));
    await publisher.close();
  });

  it('a request needs no reply queue when none was asked for: buildReply returns undefined', () => {
    expect(buildReply({ correlationId: 'c' }, { ok: true, result: 1 })).toBeUndefined();
  });
});

describe('request() to a destination that answers no requests', () => {
  const noReplies = {
    ...fixtureTopology,
    workQueues: (fixtureTopology.workQueues ?? []).map((q) => ({ ...q, requestReply: false })),
  };

  it('throws at once for a topic: nothing is sent and no reply queue is created', async () => {
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: stack.source,
      clients: stack.clients,
    });
    const order = {
      orderId: 'o-rr',
      customerId: 'c',
      email: 'a@example.com',
      items: [{ sku: 's', quantity: 1 }],
      totalCents: 1,
    };
    await expect(publisher.request('CartPlaced', order, { timeoutMs: 600_000 })).rejects.toThrow(
      new RequestReplyNotConfiguredError(
        "request('CartPlaced') goes to topic 'orders', which answers no requests. Fix: use publish() for 'CartPlaced', or send requests to a work queue with requestReply: true (topic subscribers never answer).",
      ),
    );
    const { QueueUrls = [] } = await stack.clients.sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: 'fanout-dev-reply-' }),
    );
    expect(QueueUrls).toEqual([]);
    await publisher.close();
  });

  it('throws at once for a work queue without requestReply, naming the queue and the fix', async () => {
    const other = await startFauxqsStack(noReplies);
    try {
      const publisher = await createPublisher({ topology: noReplies, target: other.source, clients: other.clients });
      await expect(
        publisher.request('TaskRequested', { jobId: 'j-nr', kind: 'checksum', input: 'x' }, { timeoutMs: 600_000 }),
      ).rejects.toThrow(
        "request('TaskRequested') goes to work queue 'jobs', which answers no requests. Fix: set requestReply: true on work queue 'jobs' in the topology and redeploy, or use publish().",
      );
      await publisher.close();
      expect(
        await drain(other.clients.sqs, other.outputs[OUTPUT_KEYS.queueUrl('jobs')]!, { quietReceives: 1 }),
      ).toEqual([]);
    } finally {
      await other.stop();
    }
  });
});
