import { DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planClaimCheck, storeClaimCheck } from '../../client/claim-check.ts';
import { replayDeadLetters } from '../../client/dlq-replay.ts';
import { connectOperator, type OperatorContext } from '../../client/operator.ts';
import { CLAIM_CHECK } from '../../contracts/claim-check.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { drain } from '../support/drain.ts';

let stack: FauxqsStack;
let ops: OperatorContext;
beforeAll(async () => {
  stack = await startFauxqsStack();
  ops = await connectOperator({ topology: fixtureTopology, source: stack.source, clients: stack.clients });
});
afterAll(() => stack.stop());

const bucket = () => stack.outputs[OUTPUT_KEYS.payloadBucketName]!;

/** A claim-checked job in the jobs DLQ (a work queue: raw body and attributes). */
async function deadLetterClaimChecked(jobId: string) {
  const payload = JSON.stringify({ jobId, kind: 'checksum', input: 'x'.repeat(300_000), tenantId: 't' });
  const claim = planClaimCheck(bucket(), 'TaskRequested', payload);
  await storeClaimCheck(stack.clients.s3, claim);
  const { body, pointer } = claim;
  await stack.clients.sqs.send(
    new SendMessageCommand({
      QueueUrl: stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('jobs')],
      MessageBody: body,
      MessageAttributes: {
        eventType: { DataType: 'String', StringValue: 'TaskRequested' },
        [CLAIM_CHECK.attribute]: { DataType: 'String', StringValue: CLAIM_CHECK.version },
      },
    }),
  );
  return { body, pointer };
}

describe('a DLQ replay keeps claim-check payloads alive for the copies it makes', () => {
  it('renews the payload of every claim-checked message it moves, and refuses in one line one whose payload is gone', async () => {
    const kept = await deadLetterClaimChecked('job-kept');
    const lost = await deadLetterClaimChecked('job-lost');
    await stack.clients.s3.send(new DeleteObjectCommand({ Bucket: bucket(), Key: lost.pointer.key }));

    const result = await replayDeadLetters(ops, 'jobs', { method: 'manual' });

    expect(result.moved).toBe(1);
    expect(result.failed).toEqual([
      {
        messageId: expect.any(String),
        error:
          `claim-check payload s3://${bucket()}/${lost.pointer.key} is gone (expired or deleted): the message cannot be ` +
          'replayed and stays in the DLQ; publish the event again if its producer still has it',
      },
    ]);
    // The moved copy's payload was copied onto itself: its expiry counts again from the replay.
    const head = await stack.clients.s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: kept.pointer.key }));
    expect(head.Metadata?.[CLAIM_CHECK.renewedMetadata]).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!)).map((m) => m.Body)).toEqual([
      kept.body,
    ]);
    const left = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('jobs')]!);
    expect(left.map((m) => m.Body)).toEqual([lost.body]);
  });
});
