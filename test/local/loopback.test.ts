import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulators, type Emulators } from '../../local/emulators.ts';
import { startConsole, type LocalConsole } from '../../console/index.ts';
import type { LocalCloud } from '../../local/index.ts';
import { sharedDynamoDb } from '../support/shared-dynamodb.ts';
import { startFixture } from '../support/local-cloud.ts';

/** An IPv4 address of this machine other than loopback, if it has one. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
if (!external) console.log('loopback.test: skipped, this machine has no non-loopback IPv4 address to connect to');

/** 'connected', or the error code of the failed connection (ECONNREFUSED when nothing listens there). */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

const port = (url: string) => Number(new URL(url).port);

describe.skipIf(!external)('the local cloud by default', () => {
  let emulators: Emulators;
  let cloud: LocalCloud;
  let localConsole: LocalConsole;
  beforeAll(async () => {
    // Its own DynamoDB Local (a JVM), so that one's address is checked too.
    emulators = await startEmulators({}, 'us-east-1');
    cloud = await startFixture('Loopback', (stack) => void new Queue(stack, 'Queue'));
    localConsole = await startConsole(cloud);
  }, 120_000);
  afterAll(async () => {
    await localConsole?.stop();
    await cloud?.stop();
    await emulators?.stop();
  });

  it('refuses connections to the machine’s network address on every port, and accepts them on loopback', async () => {
    const ports = {
      messaging: port(emulators.endpoints.messaging),
      fauxqs: emulators.fauxqs.port,
      dynamodb: port(emulators.endpoints.dynamodb),
      console: port(localConsole.url),
    };
    const outside: Record<string, string> = {};
    const inside: Record<string, string> = {};
    for (const [name, p] of Object.entries(ports)) {
      outside[name] = await tryConnect(external!, p);
      inside[name] = await tryConnect('127.0.0.1', p);
    }
    expect(outside).toEqual({
      messaging: 'ECONNREFUSED',
      fauxqs: 'ECONNREFUSED',
      dynamodb: 'ECONNREFUSED',
      console: 'ECONNREFUSED',
    });
    expect(inside).toEqual({
      messaging: 'connected',
      fauxqs: 'connected',
      dynamodb: 'connected',
      console: 'connected',
    });
  });
});

describe.skipIf(!external)("the local cloud with host '0.0.0.0'", () => {
  it('accepts connections to the machine’s network address on the public endpoint; fauxqs stays behind it', async () => {
    const emulators = await startEmulators({}, 'us-east-1', sharedDynamoDb(), '0.0.0.0');
    try {
      expect(await tryConnect(external!, port(emulators.endpoints.messaging))).toBe('connected');
      expect(await tryConnect(external!, emulators.fauxqs.port)).toBe('ECONNREFUSED');
    } finally {
      await emulators.stop();
    }
  });
});
