import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { createFanoutApp } from '../../lib/app.ts';
import type { FanoutStack } from '../../lib/fanout-stack.ts';
import type { PlacementRecord } from '../../lib/placement/placement-record.ts';
import { CLOUDFORMATION_STACK_LIMITS, PLACEMENT_FILL_RATIO } from '../../lib/placement/stack-limits.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import type { Topology } from '../../topology/types.ts';
import { scaleTopology } from '../fixtures/scale-topology.ts';
import { handlersOf } from '../fixtures/app/handlers.ts';

const dir = mkdtempSync(join(tmpdir(), 'fanout-placement-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** Synthesizes (no bundling, no cdk-nag) with a placement file holding `record`; returns the stack and the file's new content. */
function synth(topology: Topology, record?: PlacementRecord, context: Record<string, unknown> = {}) {
  const placementFile = join(dir, `placement-${files++}.json`);
  if (record) writeFileSync(placementFile, JSON.stringify(record));
  const { app, stack } = createFanoutApp({
    handlers: handlersOf(topology),
    topology,
    context: { stage: 'dev', 'aws:cdk:bundling-stacks': [], ...context },
    nag: false,
    outdir: join(dir, `out-${files}`),
    cloudFormationValidation: false,
    placementFile,
  });
  return { app, stack, written: JSON.parse(readFileSync(placementFile, 'utf8')) as PlacementRecord };
}

const resourcesIn = (stack: FanoutStack, index: number) =>
  Object.keys(
    (
      stack.shards.all().find((s) => s.index === index)!.stack as unknown as {
        _toCloudFormation(): { Resources: object };
      }
    )._toCloudFormation().Resources,
  ).length;

describe('where endpoints live', () => {
  it('the fixture topology fits the root stack: no nested stack, no EndpointStacks output', () => {
    const { stack, written } = synth(fixtureTopology);
    expect(stack.shards.nested()).toEqual([]);
    expect(stack.node.tryFindChild(OUTPUT_KEYS.endpointStacks)).toBeUndefined();
    expect(new Set(Object.values(written.endpoints))).toEqual(new Set([0]));
  });

  it('a topology past one stack fills the root to the margin, then nested stacks, and the file records where each endpoint went', () => {
    const { stack, written } = synth(scaleTopology(60));
    const shards = stack.shards.all();
    // 21 resources per endpoint (its two runtime outcome alarms included): the root and three nested stacks.
    expect(shards.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    for (const shard of shards)
      expect(resourcesIn(stack, shard.index)).toBeLessThanOrEqual(
        CLOUDFORMATION_STACK_LIMITS.resources * PLACEMENT_FILL_RATIO,
      );
    expect(Object.keys(written.endpoints)).toHaveLength(60);
    for (const [name, index] of Object.entries(written.endpoints))
      expect(stack.shards.indexOf(Stack.of(stack.endpoints.get(name)!)), name).toBe(index);
  });

  it('adding subscribers never moves the placed ones, even when the new ones come first in the topology', () => {
    const before = synth(scaleTopology(40)).written;
    const grown = scaleTopology(70);
    // New subscribers listed before the old ones: a placement derived from topology order would shift everyone.
    const reordered: Topology = {
      ...grown,
      topics: grown.topics.map((t) => ({ ...t, subscriptions: [...t.subscriptions].reverse() })),
    };
    const { stack, written } = synth(reordered, before);
    for (const [name, index] of Object.entries(before.endpoints)) expect(written.endpoints[name], name).toBe(index);
    expect(Object.keys(written.endpoints)).toHaveLength(70);
    for (const shard of stack.shards.all())
      expect(resourcesIn(stack, shard.index)).toBeLessThanOrEqual(
        CLOUDFORMATION_STACK_LIMITS.resources * PLACEMENT_FILL_RATIO,
      );
  });

  it('a removed endpoint leaves the record; the others stay where they are', () => {
    const before = synth(scaleTopology(45)).written;
    const shrunk = scaleTopology(45);
    const without: Topology = {
      ...shrunk,
      topics: shrunk.topics.map((t) => ({ ...t, subscriptions: t.subscriptions.filter((s) => s.name !== 's003') })),
    };
    const { written } = synth(without, before);
    const { s003: _gone, ...kept } = before.endpoints;
    expect(written.endpoints).toEqual(kept);
    expect(Object.keys(written.stateful).filter((path) => path.startsWith('Endpoint-s003/'))).toEqual([]);
  });
});

describe('changes that would replace stateful resources', () => {
  it('a moved endpoint is refused with one line per resource, naming the move and the flag that accepts it', () => {
    const before = synth(scaleTopology(30)).written;
    const moved = { ...before, endpoints: { ...before.endpoints, s002: 1 } };
    expect(() => synth(scaleTopology(30), moved)).toThrow(
      'Endpoint-s002/Queues/Queue (AWS::SQS::Queue): it moves from the root stack to nested stack Endpoints1, so CloudFormation would replace it and its messages would be lost. ' +
        'Fix: revert that change, or accept the loss with -c fanout:acceptReplacement=s002.',
    );
    expect(() => synth(scaleTopology(30), moved)).toThrow('3 change(s) would replace stateful resources'); // queue, DLQ, subscription DLQ
    const { written } = synth(scaleTopology(30), moved, { 'fanout:acceptReplacement': 's002' });
    expect(written.endpoints.s002).toBe(1);
  });

  it('a table whose key changes is refused, naming the property and both values', () => {
    const before = synth(scaleTopology(3)).written;
    const topology = scaleTopology(3);
    const rekeyed: Topology = {
      ...topology,
      tables: topology.tables!.map((t) => (t.name === 'picks' ? { ...t, partitionKey: 'pickId' } : t)),
    };
    expect(() => synth(rekeyed, before)).toThrow(
      /^1 change\(s\) would replace stateful resources and lose what they hold:\n {2}- Tables\/Table-picks \(AWS::DynamoDB::Table\): KeySchema changes from \[\{"AttributeName":"orderId","KeyType":"HASH"\}\] to \[\{"AttributeName":"pickId","KeyType":"HASH"\}\], so CloudFormation would replace it and its items would be lost\. Fix: revert that change, or accept the loss with -c fanout:acceptReplacement=Tables\/Table-picks\.$/,
    );
  });

  it('a stack pushed past a CloudFormation limit fails the synthesis, naming the stack, the count and the limit', () => {
    const before = synth(scaleTopology(30)).written;
    const crammed = {
      ...before,
      endpoints: Object.fromEntries(Object.keys(before.endpoints).map((name) => [name, 0])),
    };
    const { app } = synth(scaleTopology(30), crammed, { 'fanout:acceptReplacement': '*' });
    expect(() => app.synth()).toThrow(
      /stack 'scale-dev': its template has \d{3} resources, over CloudFormation's limit of 500\. Fix: /,
    );
  });
});
