import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListSubscriptionsByTopicCommand, PublishCommand } from '@aws-sdk/client-sns';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOperator, type OperatorContext } from '../../client/operator.ts';
import { checkArchiveSchemas } from '../../client/schema-check.ts';
import type { LocalCloud } from '../../local/index.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import type { Topology } from '../../topology/types.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { startFixtureCloud } from '../support/fixture-app.ts';

// A FIFO topic's archive keeps messages for its retention, whatever the schemas became since: the
// check replays it into a scratch queue, validates what arrives, and removes the queue again.
const topology: Topology = {
  ...fixtureTopology,
  topics: fixtureTopology.topics.filter((t) => t.name === 'payments'),
  workQueues: [],
  tables: fixtureTopology.tables!.filter((t) => t.name === 'ledger' || t.name === 'audit-log'),
};
let cloud: LocalCloud;
let ops: OperatorContext;

async function publish(eventType: string, payload: Record<string, unknown>): Promise<string> {
  const { MessageId } = await cloud.clients.sns.send(
    new PublishCommand({
      TopicArn: cloud.outputs[OUTPUT_KEYS.topicArn('payments')]!,
      Message: JSON.stringify(payload),
      MessageGroupId: 'a-1',
      MessageAttributes: { eventType: { DataType: 'String', StringValue: eventType } },
    }),
  );
  return MessageId!;
}

beforeAll(async () => {
  const registryFile = join(mkdtempSync(join(tmpdir(), 'fanout-schema-archive-')), 'local.json');
  cloud = await startFixtureCloud(topology, { registryFile });
  ops = await connectOperator({ topology, source: { kind: 'local-registry', path: registryFile } });
}, 180_000);
afterAll(async () => {
  ops?.close();
  await cloud?.stop();
});

describe('schema check --against archive', () => {
  it('finds the archived message the current schema rejects, and leaves no scratch queue or subscription', async () => {
    await publish('FundsCaptured', { paymentId: 'p-1', accountId: 'a-1', amountCents: 100 });
    // Published while amountCents could be 0.
    await publish('FundsCaptured', { paymentId: 'p-2', accountId: 'a-1', amountCents: 0 });
    const { checked, violations } = await checkArchiveSchemas(ops, 'payments');
    expect(checked).toEqual({ 'archive of payments': 2 });
    expect(violations.map((v) => [v.source, v.eventType, v.issue])).toEqual([
      [
        'archive of payments',
        'FundsCaptured',
        expect.stringMatching(
          /^Payload of event type 'FundsCaptured' is invalid: field 'amountCents' breaks rule 'min_value'/,
        ),
      ],
    ]);
    const { QueueUrls = [] } = await cloud.clients.sqs.send(new ListQueuesCommand({}));
    expect(QueueUrls.filter((u) => u.includes('schema-check'))).toEqual([]);
    const { Subscriptions = [] } = await cloud.clients.sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: cloud.outputs[OUTPUT_KEYS.topicArn('payments')]! }),
    );
    expect(Subscriptions).toHaveLength(2);
  });

  it('stopped while the replay runs (Ctrl-C), still removes its scratch queue and subscription', async () => {
    const stop = new AbortController();
    stop.abort();
    await expect(checkArchiveSchemas(ops, 'payments', { signal: stop.signal })).rejects.toThrow(
      "Reading the archive of topic 'payments' was stopped before its replay ended.",
    );
    const { QueueUrls = [] } = await cloud.clients.sqs.send(new ListQueuesCommand({}));
    expect(QueueUrls.filter((u) => u.includes('schema-check'))).toEqual([]);
    const { Subscriptions = [] } = await cloud.clients.sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: cloud.outputs[OUTPUT_KEYS.topicArn('payments')]! }),
    );
    expect(Subscriptions).toHaveLength(2);
  });

  it('reads at most --max messages', async () => {
    const { checked } = await checkArchiveSchemas(ops, 'payments', { max: 1 });
    expect(checked).toEqual({ 'archive of payments': 1 });
  });

  it('refuses a topic that keeps no archive, naming those that do', async () => {
    await expect(checkArchiveSchemas(ops, 'ops-alarms')).rejects.toThrow(
      "Topic 'ops-alarms' keeps no archive. Fix: check a FIFO topic with archiveRetentionDays (payments), or --against dlq.",
    );
  });
});
