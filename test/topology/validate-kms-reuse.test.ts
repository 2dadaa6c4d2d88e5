import { describe, expect, it } from 'vitest';
import { resolveTopology } from '../../topology/index.ts';
import { problemsOf, topologyWith } from '../support/topology-fixtures.ts';

describe('kmsDataKeyReuseSeconds', () => {
  it('accepts 60 to 86,400 s and resolves to the value given (undefined when not set)', () => {
    expect(problemsOf(topologyWith({ sub: { kmsDataKeyReuseSeconds: 60 } }))).toEqual([]);
    expect(problemsOf(topologyWith({ queue: { kmsDataKeyReuseSeconds: 86_400 } }))).toEqual([]);
    const resolved = resolveTopology(topologyWith({ sub: { kmsDataKeyReuseSeconds: 120 } }), 'dev');
    expect(resolved.endpoints.map((e) => [e.name, e.kmsDataKeyReuseSeconds])).toEqual([
      ['billing', 120],
      ['tasks', undefined],
    ]);
  });

  it('rejects a period outside 60–86,400 s, naming the endpoint, the rule and the fix', () => {
    expect(problemsOf(topologyWith({ sub: { kmsDataKeyReuseSeconds: 30 } }))).toEqual([
      "subscription 'orders/billing': KMS data key reuse period must be an integer from 60 to 86400 s (given 30). Fix: set kmsDataKeyReuseSeconds within that range, or remove it for SQS's default (300 s).",
    ]);
    expect(problemsOf(topologyWith({ queue: { kmsDataKeyReuseSeconds: 90_000 } }))).toHaveLength(1);
    expect(problemsOf(topologyWith({ queue: { kmsDataKeyReuseSeconds: 61.5 } }))).toHaveLength(1);
  });
});
