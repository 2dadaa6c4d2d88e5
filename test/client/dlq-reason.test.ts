import { SendMessageCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planClaimCheck, storeClaimCheck } from '../../client/claim-check.ts';
import { peekDeadLetters } from '../../client/dlq-peek.ts';
import { replayDeadLetters } from '../../client/dlq-replay.ts';
import { connectOperator, type OperatorContext } from '../../client/operator.ts';
import { CLAIM_CHECK } from '../../contracts/claim-check.ts';
import { DEAD_LETTER_ATTRIBUTE, encodeDeadLetterReason } from '../../contracts/dead-letter.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { drain } from '../support/drain.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

let stack: FauxqsStack;
let ops: OperatorContext;
beforeAll(async () => {
  stack = await startFauxqsStack();
  ops = await connectOperator({ topology: fixtureTopology, source: stack.source, clients: stack.clients });
});
afterAll(() => stack.stop());

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
const own = {
  eventType: text('TaskRequested'),
  idempotencyKey: text('k-1'),
  correlationId: text('corr-1'),
  [CLAIM_CHECK.attribute]: text(CLAIM_CHECK.version),
  tenant: text('t-1'),
};

describe('the dead-letter reason: one JSON attribute, read by peek and stripped by replay', () => {
  it('peek shows the reason; replay sends every other attribute back unchanged', async () => {
    const reason = {
      kind: 'schema-validation',
      message: 'field input is missing',
      receiveCount: 1,
      consumer: 'jobs',
      originalMessageId: 'm-1',
      deadLetteredAt: '2025-01-01T00:00:00.000Z',
    };
    // A claim-checked message: a replay renews its stored payload, so the payload must exist.
    const claim = planClaimCheck(stack.outputs[OUTPUT_KEYS.payloadBucketName]!, 'TaskRequested', '{"jobId":"j-1"}');
    await storeClaimCheck(stack.clients.s3, claim);
    await stack.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('jobs')],
        MessageBody: claim.body,
        MessageAttributes: { ...own, [DEAD_LETTER_ATTRIBUTE]: text(encodeDeadLetterReason(reason)) },
      }),
    );
    const [letter] = await peekDeadLetters(ops, 'jobs');
    expect(letter!.reason).toEqual({ kind: 'schema-validation', message: 'field input is missing', consumer: 'jobs' });
    expect((await replayDeadLetters(ops, 'jobs', { method: 'manual', force: true })).moved).toBe(1);
    const [back] = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!, { max: 1 });
    expect(back!.MessageAttributes).toEqual(own);
  });

  it('replay strips the legacy five reason attributes too', async () => {
    const legacy = {
      fanoutErrorKind: text('permanent'),
      fanoutErrorMessage: text('input too short'),
      fanoutReceiveCount: { DataType: 'Number', StringValue: '2' },
      fanoutConsumer: text('jobs'),
      fanoutOriginalMessageId: text('m-2'),
    };
    await stack.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.outputs[OUTPUT_KEYS.deadLetterQueueUrl('jobs')],
        MessageBody: '{}',
        MessageAttributes: { eventType: own.eventType, ...legacy },
      }),
    );
    const [letter] = await peekDeadLetters(ops, 'jobs');
    expect(letter!.reason).toEqual({ kind: 'permanent', message: 'input too short', consumer: 'jobs' });
    expect((await replayDeadLetters(ops, 'jobs', { method: 'manual', force: true })).moved).toBe(1);
    const [back] = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!, { max: 1 });
    expect(back!.MessageAttributes).toEqual({ eventType: own.eventType });
  });
});
