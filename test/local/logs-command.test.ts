import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PublishCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logsCommand } from '../../client/cli/index.ts';
import { OUTPUT_KEYS } from '../../contracts/index.ts';
import { type LocalCloud, startLocalCloud } from '../../local/index.ts';
import { awsEnvironment } from '../../local/internal.ts';
import { sharedDynamoDb } from '../support/shared-dynamodb.ts';
import { waitFor } from '../support/local-cloud.ts';
import { notesTopology, synthNotesApp } from './support/notes-app.ts';

// `fanout logs` reads a consumer's lines back from a running local cloud (found through its registry
// file), through the CloudWatch Logs API the cloud answers on its messaging endpoint.

let cloud: LocalCloud;
let registry: string;
let assemblyDir: string;
let stackName: string;
let logs: CloudWatchLogsClient;
const group = '/aws/lambda/logs-dev-noter';
/** Publishes a Note to the running cloud, with the correlation id `corr-<id>`. */
const publishNote = (id: string) =>
  cloud.clients.sns.send(
    new PublishCommand({
      TopicArn: cloud.outputs[OUTPUT_KEYS.topicArn('notes')],
      Message: JSON.stringify({ id }),
      MessageAttributes: {
        eventType: { DataType: 'String', StringValue: 'Note' },
        correlationId: { DataType: 'String', StringValue: `corr-${id}` },
      },
    }),
  );

/** `fanout logs noter --follow` until `stop` aborts: the lines it printed (plain text) so far. */
function follow() {
  const printed: string[] = [];
  const stop = new AbortController();
  const following = logsCommand(
    notesTopology,
    'noter',
    { stage: 'dev', target: 'local', registry, since: '5m', follow: true },
    (l) => printed.push(stripVTControlCharacters(l)),
    stop.signal,
  );
  return { printed, stop, following };
}

beforeAll(async () => {
  ({ assemblyDir, stackName } = synthNotesApp('fanout-logs-command-'));
  registry = join(assemblyDir, 'local.json');
  cloud = await startLocalCloud({
    assemblyDir,
    stackName,
    dynamodb: sharedDynamoDb(),
    registryFile: registry,
  });
  const env = awsEnvironment(cloud);
  logs = new CloudWatchLogsClient({
    region: cloud.region,
    endpoint: env.AWS_ENDPOINT_URL,
    credentials: cloud.credentials,
  });
  await publishNote('n-7');
  await waitFor('the failed outcome line', () =>
    cloud.lambdas.logs('logs-dev-noter').find((l) => l.includes('"outcome":"failed"')),
  );
}, 180_000);
afterAll(async () => {
  logs?.destroy();
  await cloud?.stop();
});

describe('fanout logs on the local cloud', () => {
  it("prints the handler's lines and the thrown error's stack, each after its time", async () => {
    const printed: string[] = [];
    await logsCommand(notesTopology, 'noter', { stage: 'dev', target: 'local', registry, since: '5m' }, (l) =>
      printed.push(l),
    );
    const plain = printed.map((l) => stripVTControlCharacters(l));
    expect(plain).toContainEqual(
      expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z \[logs-dev-noter\] corr-n-7 handling note \{"id":"n-7"\}$/),
    );
    const failure = plain.find((l) => l.includes(' failed Note '));
    expect(failure).toMatch(/\[logs-dev-noter\] corr-n-7 failed Note \S+: Error: note n-7 refused by the fixture\n/);
    expect(failure).toContain('\n    Error: note n-7 refused by the fixture\n        at ');
  });

  it('names the valid consumers when given an unknown one', async () => {
    await expect(
      logsCommand(notesTopology, 'nope', { stage: 'dev', target: 'local', registry, since: '5m' }, () => undefined),
    ).rejects.toThrow("Unknown subscriber 'nope'. Valid subscribers: noter.");
  });

  it('prints nothing older than --since', async () => {
    const printed: string[] = [];
    const future = new Date(Date.now() + 60_000).toISOString();
    await logsCommand(notesTopology, 'noter', { stage: 'dev', target: 'local', registry, since: future }, (l) =>
      printed.push(l),
    );
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain(`No log lines of 'noter' since ${future}`);
  });

  it('--follow prints a line written after it started, then stops on abort', async () => {
    const { printed, stop, following } = follow();
    await waitFor('the earlier lines', () => printed.find((l) => l.includes('corr-n-7 handling note')));
    await publishNote('n-8');
    await waitFor('the new line', () => printed.find((l) => l.includes('plain console line for n-8')));
    stop.abort();
    await following;
    // Each line once, though every poll starts again at the newest millisecond already printed.
    expect(new Set(printed).size).toBe(printed.length);
  });

  it('answers FilterLogEvents with the filter pattern, and ResourceNotFoundException for an unknown group', async () => {
    const page = await logs.send(
      new FilterLogEventsCommand({ logGroupName: group, filterPattern: '"plain console" n-7' }),
    );
    expect(page.events?.length).toBeGreaterThan(0);
    expect(page.events!.every((e) => e.message!.includes('plain console line for n-7'))).toBe(true);
    const limited = await logs.send(new FilterLogEventsCommand({ logGroupName: group, limit: 1 }));
    expect(limited.events).toHaveLength(1);
    const next = await logs.send(
      new FilterLogEventsCommand({ logGroupName: group, limit: 1, nextToken: limited.nextToken }),
    );
    expect(next.events![0]!.eventId).not.toBe(limited.events![0]!.eventId);
    await expect(logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
  });

  it('--follow reconnects when the local cloud restarts on other ports, and goes on printing', async () => {
    const { printed, stop, following } = follow();
    await waitFor('the earlier lines', () => printed.find((l) => l.includes('corr-n-7 handling note')));
    await cloud.stop();
    await waitFor('the lost connection reported', () => printed.find((l) => l.startsWith('Lost ')));
    cloud = await startLocalCloud({ assemblyDir, stackName, dynamodb: sharedDynamoDb(), registryFile: registry });
    await publishNote('n-9');
    await waitFor(
      'a line of the restarted cloud',
      () => printed.find((l) => l.includes('plain console line for n-9')),
      30_000,
    );
    stop.abort();
    await following;
    expect(printed.filter((l) => l.startsWith('Lost '))).toHaveLength(1);
  }, 90_000);
});
