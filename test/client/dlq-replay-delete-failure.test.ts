import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients } from '../../client/connection.ts';
import { replayDeadLetters } from '../../client/dlq-replay.ts';
import { connectOperator } from '../../client/operator.ts';
import { queueAttributes } from '../../client/sqs-util.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { intercept } from './support/intercept.ts';
import { drain } from '../support/drain.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

let stack: FauxqsStack;
beforeAll(async () => {
  stack = await startFauxqsStack();
});
afterAll(() => stack.stop());

const inQueue = async (url: string) => {
  const a = await queueAttributes(stack.clients.sqs, url, [
    'ApproximateNumberOfMessages',
    'ApproximateNumberOfMessagesNotVisible',
  ]);
  return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible);
};

describe('manual DLQ move when deleting from the DLQ fails for an entry', () => {
  it('reports the message as copied, not deleted, and does not count it as moved', async () => {
    const dlqUrl = stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('jobs')]!;
    for (let i = 0; i < 3; i++)
      await stack.clients.sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: `{"n":${i}}` }));
    // fauxqs never fails a delete entry: the first entry of the first DLQ delete is kept back and
    // reported failed, as SQS does for e.g. an expired receipt handle.
    const clients = createClients(stack.connection);
    let kept: string | undefined;
    intercept(clients.sqs, async (command, input, send) => {
      if (command !== 'DeleteMessageBatchCommand' || input.QueueUrl !== dlqUrl || kept) return send(input);
      const [first, ...rest] = input.Entries as { Id: string; ReceiptHandle: string }[];
      kept = first!.ReceiptHandle;
      const result = await send({ ...input, Entries: rest });
      return {
        ...result,
        output: {
          ...result.output,
          Failed: [
            {
              Id: first!.Id,
              Code: 'ReceiptHandleIsInvalid',
              Message: 'The receipt handle has expired.',
              SenderFault: true,
            },
          ],
        },
      };
    });
    const ops = await connectOperator({ topology: fixtureTopology, source: stack.source, clients });
    const result = await replayDeadLetters(ops, 'jobs', { method: 'manual' });
    expect(kept).toBeDefined();
    expect(result.moved).toBe(2);
    expect(result.failed).toEqual([]);
    expect(result.copiedNotDeleted).toEqual([
      { messageId: expect.any(String), error: 'ReceiptHandleIsInvalid: The receipt handle has expired.' },
    ]);
    const back = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!, { max: 4 });
    expect(back.map((m) => m.Body).sort()).toEqual(['{"n":0}', '{"n":1}', '{"n":2}']);
    expect(await inQueue(dlqUrl)).toBe(1);
    clients.destroy();
  });
});
