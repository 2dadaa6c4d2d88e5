import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeFailure } from '../../client/cli/failure.ts';
import { createClients, localConnection } from '../../client/connection.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { resolveTopology } from '../../topology/resolve.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { intercept } from './support/intercept.ts';
import { FANOUT_BIN, FIXTURE_APP_DIR } from './support/fixture-cli.ts';

// Every failure of a command is one line on stderr: what failed, where, and what to do.
let dir: string;
let closedPort: number;

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function fanout(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', FANOUT_BIN, ...args], {
      cwd: FIXTURE_APP_DIR,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fanout-cli-errors-'));
  closedPort = await freePort();
});

describe('CLI failures are one line naming the failure and the fix', () => {
  it('status against a local cloud whose endpoint nothing answers on', async () => {
    const endpoint = `http://127.0.0.1:${closedPort}`;
    const resolved = resolveTopology(fixtureTopology, 'dev');
    const outputs = Object.fromEntries(
      resolved.endpoints.flatMap((e) => [
        [OUTPUT_KEYS.queueUrl(e.name), `${endpoint}/000000000000/${e.names.queue}`],
        [OUTPUT_KEYS.deadLetterQueueUrl(e.name), `${endpoint}/000000000000/${e.names.deadLetterQueue}`],
      ]),
    );
    const registry = join(dir, 'local.json');
    writeFileSync(
      registry,
      JSON.stringify({
        pid: process.pid,
        region: 'us-east-1',
        endpoints: { sqs: endpoint, sns: endpoint, s3: endpoint },
        stacks: { 'fanout-dev': { outputs } },
      }),
    );
    const { code, stdout, stderr } = await fanout({ FANOUT_LOCAL_REGISTRY: registry }, 'status');
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(
      `Cannot reach SQS at ${endpoint}/ (GetQueueAttributes: connect ECONNREFUSED 127.0.0.1:${closedPort}). ` +
        'Fix: start the local cloud again with `npm start` (nothing answers on the endpoint its registry file names), or pass --target aws.\n',
    );
  });

  it('status --target aws with an unreachable endpoint', async () => {
    const env = {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${closedPort}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'y',
    };
    const { code, stderr } = await fanout(env, 'status', '--target', 'aws');
    expect(code).toBe(1);
    expect(stderr.split('\n')).toEqual([
      expect.stringMatching(/^StackOutputsError: Cannot reach CloudFormation .*ECONNREFUSED.*\. Fix: .+\.$/),
      '',
    ]);
  });
});

describe('describeFailure', () => {
  it('an access-denied AWS error names the call and the IAM action to allow', async () => {
    // No emulator denies access: the SDK's error is thrown at the edge of a real client.
    const clients = createClients(localConnection(`http://127.0.0.1:${closedPort}`));
    intercept(clients.sqs, async () => {
      throw Object.assign(new Error('User: arn:aws:iam::1:user/x is not authorized to perform: sqs:receivemessage'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      });
    });
    const error = await clients.sqs
      .send(new ReceiveMessageCommand({ QueueUrl: `http://127.0.0.1:${closedPort}/0/q` }))
      .catch((e: unknown) => e);
    clients.destroy();
    expect(describeFailure(error)).toEqual({
      line:
        'SQS ReceiveMessage was denied (AccessDenied: User: arn:aws:iam::1:user/x is not authorized to perform: sqs:receivemessage). ' +
        "Fix: allow sqs:ReceiveMessage on the stack's resources for the identity you run as.",
      exitCode: 1,
    });
  });

  it('a bug prints its name and message on one line, with no stack, and exits 2', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')\nwhile rendering");
    expect(describeFailure(bug)).toEqual({
      line:
        "Unexpected error: TypeError: Cannot read properties of undefined (reading 'x') while rendering. " +
        'Fix: this is a bug in fanout; run again with FANOUT_DEBUG=1 and report the stack trace it prints.',
      exitCode: 2,
    });
  });
});
