import { connect } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Emulators } from '../../local/emulators.ts';
import { startLocalCloud } from '../../local/index.ts';
import type { LambdaHost } from '../../local/lambda/host.ts';
import { sharedDynamoDb } from '../support/shared-dynamodb.ts';
import { probeConsumer, resultsTable, synthFixture } from './fixtures/fixture-app.ts';

/** Resolves true when something accepts a TCP connection on the port. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket.destroy() !== undefined));
    socket.once('error', () => resolve(false));
  });

const event = {
  Records: [{ messageId: 'm-1', receiptHandle: 'r', body: '{"mode":"ok"}', attributes: {}, messageAttributes: {} }],
};

describe('a local cloud whose start fails late', () => {
  it('stops everything it started before the failure: workers, emulator ports, its DynamoDB namespace', async () => {
    const assemblyDir = synthFixture('LateFailure', (stack) => probeConsumer(stack, 'Probe', resultsTable(stack)));
    let emulators: Emulators | undefined;
    let lambdas: LambdaHost | undefined;
    const started: string[] = [];
    const start = startLocalCloud(
      { assemblyDir, stackName: 'LateFailure', dynamodb: sharedDynamoDb() },
      async (part, value) => {
        started.push(part);
        if (part === 'emulators') emulators = value as Emulators;
        if (part === 'lambdas') lambdas = value as LambdaHost;
        if (part === 'pollers') {
          // A warm environment (a worker thread) and deployed tables exist when the next part fails.
          const [fn] = lambdas!.functionNames();
          expect((await lambdas!.invoke(fn!, event)).ok).toBe(true);
          expect(Object.values(lambdas!.environments())).toEqual([1]);
          throw new Error('the registry file cannot be written');
        }
      },
    );
    await expect(start).rejects.toThrow('the registry file cannot be written');
    expect(started).toEqual(['emulators', 'lambdas', 'deploy', 'alarms', 'queue sampler', 'pollers']);

    expect(Object.values(lambdas!.environments())).toEqual([0]);
    const invoked = await lambdas!.invoke(lambdas!.functionNames()[0]!, event);
    expect(invoked.ok).toBe(false); // the host is stopped: no environment starts again
    const messagingPort = Number(new URL(emulators!.endpoints.messaging).port);
    expect(await listening(messagingPort)).toBe(false);
    expect(await listening(emulators!.fauxqs.port)).toBe(false);
    const namespace = new DynamoDBClient({
      endpoint: emulators!.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: emulators!.credentials,
    });
    try {
      expect((await namespace.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    } finally {
      namespace.destroy();
    }
  }, 60_000);
});
