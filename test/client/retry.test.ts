import { PublishBatchCommand, type PublishBatchCommandInput } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createClients, localConnection } from '../../client/connection.ts';
import { createPublisher } from '../../client/publisher.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';

// SNS never throttles or fails single entries on an emulator, so these failures are injected with
// aws-sdk-client-mock on the publisher's SNS client.
const clients = createClients(localConnection('http://127.0.0.1:9'));
const sns = mockClient(clients.sns);
const outputs = {
  [OUTPUT_KEYS.topicArn('orders')]: 'arn:aws:sns:us-east-1:000000000000:fanout-dev-orders',
  [OUTPUT_KEYS.topicArn('payments')]: 'arn:aws:sns:us-east-1:000000000000:fanout-dev-payments.fifo',
};
const publisherWith = () =>
  createPublisher({
    topology: fixtureTopology,
    target: { kind: 'static', outputs, connection: localConnection('http://127.0.0.1:9') },
    clients,
    backoffBaseMs: 1,
    maxAttempts: 3,
  });
const throttled = () =>
  Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
const success = (input: PublishBatchCommandInput, skip: string[] = []) => ({
  Successful: input
    .PublishBatchRequestEntries!.filter((e) => !skip.includes(e.Id!))
    .map((e) => ({ Id: e.Id, MessageId: `m-${e.Message}` })),
  Failed: [],
});

afterEach(() => sns.reset());

describe('retries', () => {
  it('retries a throttled call and the retryable entries of a partial batch; a sender fault rejects only its message', async () => {
    // Batch composition depends on the publisher's linger timing, so every assertion is about
    // messages, not call positions: failures are chosen by content and each call is logged.
    const calls: { orderIds: string[]; outcome: Map<string, 'ok' | 'retryable' | 'sender-fault' | 'throttled'> }[] = [];
    let retryableFailed = false;
    sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => {
      const entries = input.PublishBatchRequestEntries!;
      const orderIdOf = (e: (typeof entries)[number]) => JSON.parse(e.Message!).orderId as string;
      const logged = {
        orderIds: entries.map(orderIdOf),
        outcome: new Map<string, 'ok' | 'retryable' | 'sender-fault' | 'throttled'>(),
      };
      calls.push(logged);
      if (calls.length === 1) {
        for (const id of logged.orderIds) logged.outcome.set(id, 'throttled');
        throw throttled();
      }
      const failed = [];
      for (const e of entries) {
        const id = orderIdOf(e);
        if (id === 'o-0' && !retryableFailed) {
          retryableFailed = true;
          logged.outcome.set(id, 'retryable');
          failed.push({ Id: e.Id, Code: 'InternalError', Message: 'try again', SenderFault: false });
        } else if (id === 'o-1') {
          logged.outcome.set(id, 'sender-fault');
          failed.push({ Id: e.Id, Code: 'InvalidParameter', Message: 'bad attribute', SenderFault: true });
        } else logged.outcome.set(id, 'ok');
      }
      return {
        ...success(
          input,
          failed.map((f) => f.Id!),
        ),
        Failed: failed,
      };
    });
    const publisher = await publisherWith();
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        publisher.publish('CartCancelled', { orderId: `o-${i}`, reason: 'r' }, { correlationId: `c-${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect((results[0] as PromiseFulfilledResult<string>).value).toBe('m-{"orderId":"o-0","reason":"r"}');
    expect((results[1] as PromiseRejectedResult).reason.message).toBe(
      "'CartCancelled' to topic 'orders' (correlationId c-1) failed: InvalidParameter: bad attribute (rejected by the service).",
    );
    // A message goes out again only after a throttled call or a retryable failure, never after it
    // was accepted or refused as a sender fault; the throttled and the retryable ones did go out again.
    const sends = (id: string) => calls.flatMap((c) => (c.orderIds.includes(id) ? [c.outcome.get(id)!] : []));
    for (const id of ['o-0', 'o-1', 'o-2', 'o-3', 'o-4']) {
      const outcomes = sends(id);
      expect(
        outcomes.slice(0, -1).every((o) => o === 'throttled' || o === 'retryable'),
        `${id}: ${outcomes}`,
      ).toBe(true);
      expect(outcomes.at(-1), id).toBe(id === 'o-1' ? 'sender-fault' : 'ok');
    }
    expect(sends('o-0')).toContain('retryable');
    expect(calls[0]!.outcome.size).toBeGreaterThan(0);
    await publisher.close();
  });

  it('keeps each FIFO group in order while an entry is retried: one entry per group per batch, no overtaking', async () => {
    const accepted: string[] = [];
    let failuresLeft = 2;
    sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => {
      const entries = input.PublishBatchRequestEntries!;
      const groups = entries.map((e) => e.MessageGroupId);
      expect(new Set(groups).size).toBe(groups.length);
      const failing = entries.find((e) => JSON.parse(e.Message!).paymentId === 'a-1' && failuresLeft-- > 0);
      for (const e of entries) if (e !== failing) accepted.push(JSON.parse(e.Message!).paymentId);
      return {
        ...success(input, failing ? [failing.Id!] : []),
        Failed: failing ? [{ Id: failing.Id, Code: 'InternalError', Message: 'again', SenderFault: false }] : [],
      };
    });
    const publisher = await publisherWith();
    const sends = [];
    for (let i = 0; i < 4; i++) {
      for (const account of ['a', 'b', 'c']) {
        sends.push(
          publisher.publish('FundsCaptured', { paymentId: `${account}-${i}`, accountId: account, amountCents: 1 }),
        );
      }
    }
    await Promise.all(sends);
    for (const account of ['a', 'b', 'c']) {
      expect(accepted.filter((id) => id.startsWith(account))).toEqual([0, 1, 2, 3].map((i) => `${account}-${i}`));
    }
    expect(failuresLeft).toBe(-1);
    await publisher.close();
  });

  it('gives up after maxAttempts and does not send the rest of that FIFO group', async () => {
    sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => {
      const failing = input.PublishBatchRequestEntries!.find((e) => JSON.parse(e.Message!).paymentId === 'a-0');
      return {
        ...success(input, failing ? [failing.Id!] : []),
        Failed: failing ? [{ Id: failing.Id, Code: 'InternalError', Message: 'down', SenderFault: false }] : [],
      };
    });
    const publisher = await publisherWith();
    const send = (id: string, account: string) =>
      publisher.publish('FundsCaptured', { paymentId: id, accountId: account, amountCents: 1 }, { correlationId: id });
    const results = await Promise.allSettled([send('a-0', 'a'), send('b-0', 'b'), send('a-1', 'a')]);
    expect(results[1]!.status).toBe('fulfilled');
    expect((results[0] as PromiseRejectedResult).reason.message).toBe(
      "'FundsCaptured' to topic 'payments' (correlationId a-0) failed: InternalError: down (gave up after 3 attempts).",
    );
    expect((results[2] as PromiseRejectedResult).reason.message).toBe(
      "'FundsCaptured' to topic 'payments' (correlationId a-1) was not sent: an earlier message of FIFO group 'a' failed, " +
        "and sending this one would break the group's order. Fix: resolve the first failure, then publish again.",
    );
    const sent = sns.commandCalls(PublishBatchCommand).flatMap((c) => c.args[0].input.PublishBatchRequestEntries!);
    expect(sent.filter((e) => JSON.parse(e.Message!).paymentId === 'a-1')).toHaveLength(0);
    await publisher.close();
  });
});
