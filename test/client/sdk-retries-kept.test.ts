import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localConnection } from '../../client/connection.ts';
import { createPublisher } from '../../client/publisher.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { drain } from '../support/drain.ts';
import { type FauxqsStack, startFauxqsStack } from './support/fauxqs-stack.ts';

// A proxy in front of fauxqs that answers the first queue-depth read with a server error, as SQS
// does now and then; every other request goes through.
let stack: FauxqsStack;
let proxy: Server;
let failedDepthReads = 0;
beforeAll(async () => {
  stack = await startFauxqsStack();
  const upstream = new URL(stack.connection.endpoints!.sqs!);
  proxy = createServer((incoming, outgoing) => {
    if (String(incoming.headers['x-amz-target']).endsWith('.GetQueueAttributes') && failedDepthReads === 0) {
      failedDepthReads++;
      incoming.resume();
      outgoing.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      outgoing.end(JSON.stringify({ __type: 'com.amazonaws.sqs#InternalError', message: 'try again' }));
      return;
    }
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: incoming.url,
        method: incoming.method,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
  await stack.stop();
});

describe("the publisher's own clients", () => {
  it('retry a failed queue-depth read under the SDK: one error does not fail a gated publish', async () => {
    const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const publisher = await createPublisher({
      topology: fixtureTopology,
      target: { kind: 'static', outputs: stack.outputs, connection: localConnection(endpoint) },
      maxQueueDepth: 100,
    });
    try {
      await expect(
        publisher.publish('TaskRequested', { jobId: 'j-1', kind: 'checksum', input: 'x' }),
      ).resolves.toBeTypeOf('string');
    } finally {
      await publisher.close();
    }
    expect(failedDepthReads).toBe(1);
    const [job] = await drain(stack.clients.sqs, stack.outputs[OUTPUT_KEYS.queueUrl('jobs')]!, { max: 1 });
    expect(JSON.parse(job!.Body!)).toMatchObject({ jobId: 'j-1' });
  });
});
