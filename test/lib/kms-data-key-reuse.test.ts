import { describe, expect, it } from 'vitest';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import type { Topology } from '../../topology/types.ts';
import { synthesize } from './support/synth.ts';

type Queue = { Properties: { QueueName: string; KmsDataKeyReusePeriodSeconds?: number } };

const queues = (topology?: Topology) =>
  Object.values(synthesize('dev', topology ? { topology } : {}).template.findResources('AWS::SQS::Queue')) as Queue[];

describe('KmsDataKeyReusePeriodSeconds', () => {
  it('is not set by the fixture stack (SQS keeps its 300 s default)', () => {
    expect(queues().filter((q) => q.Properties.KmsDataKeyReusePeriodSeconds !== undefined)).toEqual([]);
  });

  it("is set on every queue of an endpoint that asks for it (queue, DLQ, subscription DLQ), and on no other's", () => {
    const topology: Topology = {
      ...fixtureTopology,
      topics: fixtureTopology.topics.map((t) =>
        t.name === 'orders'
          ? {
              ...t,
              subscriptions: t.subscriptions.map((s) =>
                s.name === 'email' ? { ...s, kmsDataKeyReuseSeconds: 60 } : s,
              ),
            }
          : t,
      ),
    };
    const set = queues(topology)
      .filter((q) => q.Properties.KmsDataKeyReusePeriodSeconds !== undefined)
      .map((q) => [q.Properties.QueueName, q.Properties.KmsDataKeyReusePeriodSeconds]);
    expect(set.sort()).toEqual([
      ['fanout-dev-email', 60],
      ['fanout-dev-email-dlq', 60],
      ['fanout-dev-email-sub-dlq', 60],
    ]);
  });
});
