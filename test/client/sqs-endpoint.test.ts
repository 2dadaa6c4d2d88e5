import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClients, type Connection } from '../../client/connection.ts';
import { startFauxqsStack, type FauxqsStack } from './support/fauxqs-stack.ts';
import { drain } from '../support/drain.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';

// fauxqs finds a queue by the region in the URL's host and the name in its path, whatever the host,
// so a real-AWS queue URL works against it only if the SDK sends the call to the configured endpoint.
let stack: FauxqsStack;
let awsStyleUrl: string;
beforeAll(async () => {
  stack = await startFauxqsStack();
  const name = new URL(stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!).pathname.split('/').at(-1);
  awsStyleUrl = `https://sqs.us-east-1.amazonaws.com/000000000000/${name}`;
});
afterAll(() => stack.stop());
afterEach(() => {
  delete process.env.AWS_ENDPOINT_URL_SQS;
});

async function sendThrough(connection: Connection) {
  const clients = createClients(connection);
  try {
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: awsStyleUrl, MessageBody: 'hello' }));
  } finally {
    clients.destroy();
  }
  const [m] = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!, { max: 1 });
  expect(m?.Body).toBe('hello');
}

describe('SQS calls go to the configured endpoint, not to the host a queue URL names', () => {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

  it('AWS_ENDPOINT_URL_SQS', async () => {
    process.env.AWS_ENDPOINT_URL_SQS = stack.server.address;
    await sendThrough({ region: 'us-east-1', credentials });
  });

  it('Connection.endpoints.sqs', async () => {
    await sendThrough({ region: 'us-east-1', credentials, endpoints: { sqs: stack.server.address } });
  });
});
