import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer } from '../../lambdas/runtime/index.ts';
import { CLAIM_CHECK, claimCheckBody } from '../../contracts/claim-check.ts';
import { sha256Hex } from '../../contracts/sha256.ts';
import { TaskRequested } from '../fixtures/app/events.ts';
import { REGION, startSqs, type LocalSqs } from '../support/emulators.ts';
import { captureSink, lambdaContext, rawRecord, stringAttribute } from '../support/lambda-events.ts';
import { s3Objects } from '../../lambdas/runtime/claim-check.ts';
import { consumerConfig } from '../support/consumer-config.ts';

let local: LocalSqs;
let s3: S3Client;
beforeAll(async () => {
  local = await startSqs();
  s3 = new S3Client({ endpoint: local.endpoint, region: REGION, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'payloads' }));
});
afterAll(async () => {
  s3.destroy();
  await local.close();
});

async function pointerRecord(key: string, stored: string, claimed: string) {
  await s3.send(new PutObjectCommand({ Bucket: 'payloads', Key: key, Body: stored }));
  const body = claimCheckBody({
    bucket: 'payloads',
    key,
    size: Buffer.byteLength(claimed),
    sha256: sha256Hex(claimed),
  });
  return rawRecord('TaskRequested', body, {
    attributes: { [CLAIM_CHECK.attribute]: stringAttribute(CLAIM_CHECK.version) },
  });
}

describe('claim-check payloads', () => {
  it('fetches the payload a pointer names from S3 and validates it like an inline one; a tampered object is dead-lettered', async () => {
    const inputs: number[] = [];
    const capture = captureSink();
    const dlq = local.createQueue('jobs-dlq');
    const handler = createConsumer(
      { events: { TaskRequested }, handlers: { TaskRequested: async (job) => void inputs.push(job.input.length) } },
      consumerConfig({ name: 'jobs', source: 'sqs', queueUrl: local.createQueue('jobs'), deadLetterQueueUrl: dlq }),
      // The emulator on a bare address serves buckets path-style: the runtime reads through this client.
      { sqs: local.client, sink: capture.sink, ...s3Objects(async () => s3) },
    );
    const big = JSON.stringify({ jobId: 'big', kind: 'checksum', input: 'y'.repeat(90_000) });
    const good = await pointerRecord(`${CLAIM_CHECK.keyPrefix}big`, big, big);
    const tampered = await pointerRecord(
      `${CLAIM_CHECK.keyPrefix}bad`,
      big.replace('big', 'bag'),
      big.replace('big', 'bxg'),
    );
    const response = await handler({ Records: [good, tampered] }, lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(inputs).toEqual([90_000]);
    expect(capture.outcomeOf(tampered.messageId)).toMatchObject({
      outcome: 'dead-lettered',
      errorKind: 'malformed-message',
    });
    expect(String(capture.outcomeOf(tampered.messageId)!.reason)).toMatch(
      /^MalformedMessageError: claim-check pointer unusable: Claim-check object s3:\/\/payloads\/claim-check\/bad does not match its pointer/,
    );
  });
});
