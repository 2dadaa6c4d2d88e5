import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localConnection } from '../../client/connection.ts';
import { PublishFailedError } from '../../client/errors.ts';
import { createPublisher } from '../../client/publisher.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';

// An SNS endpoint that fails every request with a server error, counting what reaches it.
let server: Server;
let requests = 0;
let endpoint: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    requests++;
    request.resume();
    request.on('end', () => {
      response.writeHead(500, { 'content-type': 'text/xml' });
      response.end(
        '<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code><Message>down</Message></Error></ErrorResponse>',
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('publisher attempts', () => {
  it('maxAttempts counts every request a message costs: the SDK does not retry underneath', async () => {
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: {
        kind: 'static',
        outputs: { [OUTPUT_KEYS.topicArn('orders')]: 'arn:aws:sns:us-east-1:000000000000:fanout-dev-orders' },
        connection: localConnection(endpoint),
      },
      backoffBaseMs: 1,
      maxAttempts: 3,
    });
    try {
      const error = await publisher
        .publish('CartCancelled', { orderId: 'o-1', reason: 'test' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PublishFailedError);
      expect((error as PublishFailedError).message).toMatch(/gave up after 3 attempts/);
      expect(requests).toBe(3);
    } finally {
      await publisher.close();
    }
  });
});
