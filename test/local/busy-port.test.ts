import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { startEmulators } from '../../local/emulators.ts';
import { PortInUseError } from '../../local/index.ts';
import { sharedDynamoDb } from '../support/shared-dynamodb.ts';
import { synthFixture } from './fixtures/fixture-app.ts';

/** A port held by another server (as another `fanout start` would hold it), on every interface. */
async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  server.listen(0, '0.0.0.0');
  await once(server, 'listening');
  return { port: (server.address() as { port: number }).port, server };
}

const message = (port: number, server: string) =>
  `Port ${port} (${server}) on 127.0.0.1 is in use, most likely by another \`fanout start\`. Fix: stop that one, or start with --port 0 to take free ports.`;

describe('a busy port', () => {
  it('fails the messaging endpoint with the port, the likely cause and the fix', async () => {
    const held = await holdPort();
    try {
      const failed = await startEmulators({ messaging: held.port }, 'us-east-1', sharedDynamoDb()).then(
        (e) => e.stop(),
        (error: unknown) => error,
      );
      expect(failed).toBeInstanceOf(PortInUseError);
      expect((failed as Error).message).toBe(message(held.port, 'SNS/SQS/S3'));
    } finally {
      held.server.close();
    }
  });

  it('fails DynamoDB Local the same way', async () => {
    const held = await holdPort();
    try {
      const failed = await startDynamoDbLocal({ port: held.port }).then(
        (d) => d.stop(),
        (error: unknown) => error,
      );
      expect((failed as Error).message).toBe(message(held.port, 'DynamoDB Local'));
    } finally {
      held.server.close();
    }
  });

  it('makes `fanout start` print that one line and exit 1', async () => {
    const assemblyDir = synthFixture('BusyPort', (stack) => void new Queue(stack, 'Queue'));
    const held = await holdPort();
    try {
      const args = ['--import', 'tsx', 'bin/start.ts', '--once', '--port', String(held.port), '--no-console'];
      const failed = await promisify(execFile)(process.execPath, [
        ...args,
        '--no-demo',
        '--no-synth',
        '--assembly',
        assemblyDir,
        '--stack',
        'BusyPort',
      ]).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr.trim()).toBe(message(held.port, 'SNS/SQS/S3'));
    } finally {
      held.server.close();
    }
  }, 60_000);
});
