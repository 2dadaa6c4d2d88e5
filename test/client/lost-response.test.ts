import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients, type AwsClients } from '../../client/connection.ts';
import { createPublisher } from '../../client/publisher.ts';
import { fifoDeduplicationId } from '../../contracts/message-identity.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { connectionReset, intercept } from './support/intercept.ts';
import { drain } from '../support/drain.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

// The batch reaches fauxqs and is stored; the response is lost on the way back (injected after next()).
// The publisher cannot tell and sends the batch again: both copies must carry the same key.
let stack: FauxqsStack;
let clients: AwsClients;
const lost: string[] = [];

function loseFirstResponse(client: AwsClients['sqs'] | AwsClients['sns'], command: string) {
  intercept(client, async (name, input, send) => {
    const result = await send(input);
    if (name === command && !lost.includes(command)) {
      lost.push(command);
      throw connectionReset();
    }
    return result;
  });
}

beforeAll(async () => {
  stack = await startFauxqsStack();
  clients = createClients(stack.connection);
  loseFirstResponse(clients.sqs, 'SendMessageBatchCommand');
  loseFirstResponse(clients.sns, 'PublishBatchCommand');
});
afterAll(async () => {
  clients.destroy();
  await stack.stop();
});

describe('a batch whose response was lost is sent again as the same logical message', () => {
  it('work queue: both copies carry the key minted for the publish() call', async () => {
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: stack.source,
      clients,
      backoffBaseMs: 1,
    });
    await expect(
      publisher.publish('TaskRequested', { jobId: 'j-1', kind: 'checksum', input: 'x' }),
    ).resolves.toBeTypeOf('string');
    await publisher.close();
    expect(lost).toContain('SendMessageBatchCommand');
    const copies = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!, {
      max: 3,
      quietReceives: 3,
    });
    expect(copies).toHaveLength(2);
    const keys = copies.map((m) => m.MessageAttributes!.idempotencyKey!.StringValue);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(copies[0]!.MessageAttributes!.correlationId!.StringValue).toBe(
      copies[1]!.MessageAttributes!.correlationId!.StringValue,
    );
  });

  it('FIFO topic: the resend has the same key and dedup id, so SNS keeps one copy', async () => {
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: stack.source,
      clients,
      backoffBaseMs: 1,
    });
    await publisher.publish('FundsCaptured', { paymentId: 'p-1', accountId: 'a-1', amountCents: 5 });
    await publisher.close();
    expect(lost).toContain('PublishBatchCommand');
    const copies = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('ledger')]!, {
      max: 2,
      quietReceives: 3,
    });
    expect(copies).toHaveLength(1);
    const key = JSON.parse(copies[0]!.Body!).MessageAttributes.idempotencyKey.Value as string;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(copies[0]!.Attributes!.MessageDeduplicationId).toBe(
      fifoDeduplicationId('FundsCaptured', key, JSON.parse(JSON.parse(copies[0]!.Body!).Message)),
    );
  });
});
