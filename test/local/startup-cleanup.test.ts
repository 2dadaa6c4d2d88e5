import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../local/index.ts';
import { probeConsumer, resultsTable, synthFixture } from './fixtures/fixture-app.ts';

/** A port nothing listens on right now. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const listeningServers = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

/** Fails when something listens on the port. */
async function expectFree(port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  await new Promise((resolve) => server.close(resolve));
}

describe('a local cloud whose start fails late', () => {
  it('stops everything it started before the failure: its servers and ports, its own DynamoDB Local', async () => {
    const serversBefore = listeningServers();
    const assemblyDir = synthFixture('LateFailure', (stack) => probeConsumer(stack, 'Probe', resultsTable(stack)));
    const dir = mkdtempSync(join(tmpdir(), 'late-failure-'));
    const notADirectory = join(dir, 'file');
    writeFileSync(notADirectory, '');
    const [messaging, dynamodb] = [await freePort(), await freePort()];

    // Every part starts (emulators with a DynamoDB Local of its own, functions, deploy, alarms,
    // sampler, pollers); the last one, the registry file, cannot be written below a regular file.
    const start = startLocalCloud({
      assemblyDir,
      stackName: 'LateFailure',
      ports: { messaging, dynamodb },
      registryFile: join(notADirectory, 'local.json'),
      statusFile: join(dir, 'status.json'),
    });

    await expect(start).rejects.toThrow(
      `Cannot write the local cloud's registry file ${join(notADirectory, 'local.json')} (EEXIST): the CLI finds a running cloud through it.`,
    );
    expect(listeningServers()).toBe(serversBefore);
    await expectFree(messaging);
    await expectFree(dynamodb); // the JVM is gone, and its tables with it
  }, 60_000);
});
