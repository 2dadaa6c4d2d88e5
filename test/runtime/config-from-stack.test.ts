import { describe, expect, it } from 'vitest';
import { readConsumerConfig } from '../../lambdas/runtime/index.ts';
import { consumerEnvironment } from '../../lib/consumer-environment.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { resolveTopology } from '../../topology/resolve.ts';

/** The runtime reads its settings from the stack's environment alone: every variable it requires, the stack sets. */
describe('consumer config from the stack environment', () => {
  const resolved = resolveTopology(fixtureTopology, 'dev');
  it.each(resolved.endpoints.map((e) => [e.name, e] as const))('reads back %s as resolved', (_name, endpoint) => {
    const env = consumerEnvironment(endpoint, {
      queueUrl: `https://sqs/${endpoint.names.queue}`,
      deadLetterQueueUrl:
        endpoint.maxReceiveCount === undefined ? undefined : `https://sqs/${endpoint.names.deadLetterQueue}`,
      idempotencyTableName: resolved.idempotencyTable,
      replyQueuePrefix: `${resolved.prefix}-reply-`,
      tableNames: Object.fromEntries(resolved.tables.map((t) => [t.name, t.physicalName])),
    });
    const config = readConsumerConfig(env);
    expect(config).toMatchObject({
      name: endpoint.name,
      delivery: endpoint.delivery,
      fifo: endpoint.fifo,
      source: endpoint.topic === undefined ? 'sqs' : endpoint.snsEnvelope ? 'sns' : 'sns-raw',
      keySources: endpoint.idempotencyKey,
      parallelism: endpoint.consumer.parallelism,
      maxReceiveCount: endpoint.maxReceiveCount,
      maxDepth: endpoint.maxDepth,
    });
    if (endpoint.idempotencyRecords) expect(config.idempotencyTtlSeconds).toBe(endpoint.idempotencyTtlHours * 3600);
  });
});
