/** The new app's demo traffic (run by `fanout start`) and its sample test (run by `npm test`). */

export const demoFile = `import { createPublisher, localConnection } from 'fanout/client';
import {
  type AppDemo,
  alarmsFired,
  consumerRows,
  endpointQueueUrls,
  OUTPUT_KEYS,
  renderConsumerTable,
  waitUntilDrained,
} from 'fanout/local';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { topology } from './topology.ts';

/** Publishes signups (each twice with one key, as a retrying producer would) and credits, then checks every effect happened once. */
export const demo: AppDemo = async ({ cloud, counter, size, onPublished, onBacklog }) => {
  const publisher = await createPublisher({
    topology,
    target: {
      kind: 'static',
      outputs: cloud.outputs,
      connection: localConnection(cloud.endpoints.messaging, cloud.region),
    },
  });
  const users = Math.max(1, Math.round(size / 10));
  const started = performance.now();
  let sent = 0;
  const total = users * 2 + users * 3;
  const sends: Promise<string>[] = [];
  for (let u = 1; u <= users; u++) {
    const signup = { userId: \`user-\${u}\`, email: \`user-\${u}@example.com\` };
    // A producer retrying a publish sends the same idempotencyKey: the copies are one message.
    for (let copy = 0; copy < 2; copy++)
      sends.push(publisher.publish('SignupCompleted', signup, { idempotencyKey: \`signup-\${u}\` }));
    for (let c = 1; c <= 3; c++)
      sends.push(publisher.publish('CreditAdded', { creditId: \`credit-\${u}-\${c}\`, accountId: \`account-\${u}\`, amount: c * 100 }));
  }
  await Promise.all(sends.map((send) => send.then(() => onPublished?.(++sent, total))));
  await publisher.close();
  const publishMs = performance.now() - started;
  const drained = await waitUntilDrained(cloud, endpointQueueUrls(cloud), 60_000, onBacklog);
  const settleMs = performance.now() - started - publishMs;
  const scan = async (table: string) =>
    (await cloud.clients.dynamodb.send(new ScanCommand({ TableName: cloud.outputs[OUTPUT_KEYS.tableName(table)] }))).Items ?? [];
  const welcomes = await scan('welcomes');
  const balances = await scan('balances');
  const welcomedOnce = welcomes.length === users && welcomes.every((w) => w.sends?.N === '1');
  const balancesRight = balances.length === users && balances.every((b) => b.balance?.N === '600');
  const summary = [
    \`Published \${total} messages: \${users} signups, each twice, and \${users * 3} credits.\`,
    renderConsumerTable(consumerRows(cloud, counter)),
    \`Welcomes: \${welcomes.length}/\${users} users, \${welcomedOnce ? 'each once' : 'NOT each once'}.\`,
    \`Balances: \${balancesRight ? 'every account 600' : 'WRONG'}.\`,
    \`Alarms that fired: \${alarmsFired(cloud).join(', ') || 'none'}\`,
  ].join('\\n');
  return { ok: drained && welcomedOnce && balancesRight, summary, publishMs, settleMs };
};
`;

export const configFile = `import type { FanoutConfig } from 'fanout/local';
import { demo } from './demo.ts';
import { topology } from './topology.ts';

/** What the fanout CLI, fanout start and the local console know of this app. */
export default { topology, demo } satisfies FanoutConfig;
`;

export const sampleTest = `import { startTestCloud, type TestCloud } from 'fanout/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology } from '../topology.ts';

let app: TestCloud<typeof topology>;
beforeAll(async () => {
  app = await startTestCloud({ topology });
});
afterAll(() => app?.stop());

describe('the app on the local cloud', () => {
  it('welcomes a user once however often the producer retries the signup', async () => {
    const signup = { userId: 'once-1', email: 'once-1@example.com' };
    const retry = () => app.publisher.publish('SignupCompleted', signup, { idempotencyKey: 'signup-once-1' });
    await Promise.all([retry(), retry(), retry()]);
    await app.settled();
    const welcomes = (await app.items('welcomes')).filter((w) => w.userId === 'once-1');
    expect(welcomes).toEqual([{ userId: 'once-1', email: 'once-1@example.com', sends: 1 }]);
  });

  it('dead-letters a signup that cannot be welcomed, with the reason', async () => {
    await app.publisher.publish('SignupCompleted', { userId: 'bounce-1', email: 'bounce@invalid.example' });
    await app.settled();
    const [letter, ...more] = await app.deadLetters('welcome');
    expect(more).toEqual([]);
    expect(letter?.reason?.message).toContain('cannot welcome bounce@invalid.example');
    expect(JSON.parse(letter!.payload)).toMatchObject({ userId: 'bounce-1' });
  });

  it("applies an account's credits in the order they were published", async () => {
    const ids = Array.from({ length: 8 }, (_, i) => \`order-\${i + 1}\`);
    for (const creditId of ids) await app.publisher.publish('CreditAdded', { creditId, accountId: 'ordered', amount: 1 });
    await app.settled();
    const [account] = (await app.items('balances')).filter((b) => b.accountId === 'ordered');
    expect(account).toMatchObject({ balance: 8, history: ids });
  });
});
`;
