import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, type Publisher } from '../../client/publisher.ts';
import { toLambdaRecord } from '../../local/esm/records.ts';
import { createConsumer, DynamoDbIdempotencyStore } from '../../lambdas/runtime/index.ts';
import { TaskRequested } from '../fixtures/app/events.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { createTable, REGION, startDynamo, type LocalDynamo } from '../support/emulators.ts';
import { captureSink, lambdaContext } from '../support/lambda-events.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { s3Objects } from '../../lambdas/runtime/claim-check.ts';
import { consumerConfig } from '../support/consumer-config.ts';

// The real publisher's request() against the real consumer runtime, through fauxqs (SQS + the payload
// bucket in S3) and DynamoDB Local; a small loop plays Lambda's event source mapping on the jobs queue.
let stack: FauxqsStack;
let dynamo: LocalDynamo;
let publisher: Publisher<typeof fixtureTopology>;
let served = 0;

/** What the handler returns for a job: `input` repeated `size` times (a big result on demand). */
const resultOf = (job: TaskRequested) => ({
  jobId: job.jobId,
  text: job.input.repeat(Number(job.jobId.split('-')[1])),
});

function jobsConsumer(payloadBucket: string | undefined) {
  return createConsumer(
    {
      events: { TaskRequested },
      handlers: {
        TaskRequested: async (job) => {
          served++;
          return resultOf(job);
        },
      },
    },
    consumerConfig({
      name: 'jobs',
      delivery: 'exactly-once',
      source: 'sqs',
      idempotencyTable: 'idempotency',
      keySources: [{ attribute: 'idempotencyKey' }, 'message-id'],
      queueUrl: stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!,
      requestReply: true,
      replyQueuePrefix: 'fanout-dev-reply-',
      ...(payloadBucket ? { payloadBucket } : {}),
    }),
    {
      store: new DynamoDbIdempotencyStore(dynamo.client, 'idempotency'),
      sqs: stack.clients.sqs,
      sink: captureSink().sink,
      // Fauxqs on a bare address serves buckets path-style, as the stack's own S3 client addresses them.
      ...s3Objects(async () => stack.clients.s3),
    },
  );
}

/** Serves the jobs queue with `handler` until `until` settles. */
async function serve<R>(handler: ReturnType<typeof jobsConsumer>, until: Promise<R>): Promise<R> {
  let done = false;
  const stop = () => {
    done = true;
  };
  until.then(stop, stop);
  const queueUrl = stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!;
  while (!done) {
    const { Messages = [] } = await stack.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) continue;
    const records = Messages.map((m) => toLambdaRecord(m, stack.outputs[OUTPUT_KEYS.queueArn('jobs')]!, REGION));
    const { batchItemFailures } = await handler({ Records: records }, lambdaContext());
    const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
    const done = Messages.filter((m) => !failed.has(m.MessageId!));
    if (done.length > 0)
      await stack.clients.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
  }
  return until;
}

beforeAll(async () => {
  stack = await startFauxqsStack();
  dynamo = await startDynamo();
  await createTable(dynamo.client, 'idempotency', 'id');
  publisher = await createPublisher({ topology: fixtureTopology, target: stack.source, clients: stack.clients });
});
afterAll(async () => {
  await publisher?.close();
  await dynamo?.close();
  await stack?.stop();
});

const job = (id: string, input: string) => ({ jobId: id, kind: 'word-count' as const, input });
const ask = (id: string, input: string, key: string) =>
  publisher.request('TaskRequested', job(id, input), { idempotencyKey: key, timeoutMs: 30_000 });

describe('request/reply results of any size, first time and again', () => {
  it('a result over the idempotency record inline limit answers the request, and the same request again gets it too, not null', async () => {
    const handler = jobsConsumer(stack.outputs[OUTPUT_KEYS.payloadBucketName]);
    const before = served;
    const first = await serve(handler, ask('big-150000', 'x', 'k-150k'));
    const again = await serve(handler, ask('big-150000', 'x', 'k-150k'));
    expect(first).toEqual({ jobId: 'big-150000', text: 'x'.repeat(150_000) });
    expect(again).toEqual(first);
    expect(served - before).toBe(1);
  }, 90_000);

  it('a result too large for a reply message travels by claim-check, the first time and again', async () => {
    const handler = jobsConsumer(stack.outputs[OUTPUT_KEYS.payloadBucketName]);
    const before = served;
    const first = await serve(handler, ask('huge-1200000', 'y', 'k-1200k'));
    const again = await serve(handler, ask('huge-1200000', 'y', 'k-1200k'));
    expect((first as { text: string }).text).toHaveLength(1_200_000);
    expect(again).toEqual(first);
    expect(served - before).toBe(1);
  }, 90_000);

  it('without a payload bucket, a result too large for a reply is an error reply at once, and so is the same request again', async () => {
    const handler = jobsConsumer(undefined);
    const bytes = JSON.stringify(resultOf(job('huge-1200000', 'z'))).length;
    const answered = 'The consumer answered correlationId [^ ]+ with an error: ';
    const why = `it is ${bytes} bytes of JSON, over the 100000 bytes an idempotency record keeps inline, and consumer 'jobs' has no payload bucket to store it by claim-check`;
    await expect(serve(handler, ask('huge-1200000', 'z', 'k-no-bucket'))).rejects.toThrow(
      new RegExp(
        `^${answered}the result is too large for a reply message \\(over 1048576 bytes\\) and could not travel by claim-check: ${why}`,
      ),
    );
    await expect(serve(handler, ask('huge-1200000', 'z', 'k-no-bucket'))).rejects.toThrow(
      new RegExp(`^${answered}the result was not kept for a repeated request: ${why}`),
    );
  }, 90_000);
});
