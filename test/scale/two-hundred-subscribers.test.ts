import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPublisher } from '../../client/publisher.ts';
import { connectOperator } from '../../client/operator.ts';
import { subscriberStatus } from '../../client/status.ts';
import { createFanoutApp } from '../../lib/app.ts';
import { CLOUDFORMATION_STACK_LIMITS, PLACEMENT_FILL_RATIO } from '../../lib/placement/stack-limits.ts';
import { OutcomeCounter } from '../../local/demo/outcome-counter.ts';
import { startLocalCloud, type LocalCloud } from '../../local/index.ts';
import { endpointStackIds, OUTPUT_KEYS, stackNameOfId } from '../../contracts/outputs.ts';
import { templateGraph } from '../../assembly/template-graph.ts';
import { waitFor } from '../support/local-cloud.ts';
import { handlersOf } from '../fixtures/app/handlers.ts';
import { sharedDynamoDb } from '../support/shared-dynamodb.ts';
import { SCALE_TOPICS, scaleTopology, subscriberName } from '../fixtures/scale-topology.ts';

const SUBSCRIBERS = 200;
const topology = scaleTopology(SUBSCRIBERS);
const names = Array.from({ length: SUBSCRIBERS }, (_, i) => subscriberName(i));
const dir = mkdtempSync(join(tmpdir(), 'fanout-scale-'));
const assemblyDir = join(dir, 'cdk.out');
const registryFile = join(dir, 'local.json');
const counter = new OutcomeCounter();
let cloud: LocalCloud;
// The SDK warns (to whatever logger its handler has) when a client's socket pool queues twice its size
// for seconds: a warning nobody can act on. Its check is caught here, whichever client runs it.
const socketWarnings: string[] = [];
const checkSocketUsage = NodeHttpHandler.checkSocketUsage.bind(NodeHttpHandler);
vi.spyOn(NodeHttpHandler, 'checkSocketUsage').mockImplementation((agent, since, logger) =>
  checkSocketUsage(agent, since, {
    ...logger,
    warn: (message: string) => {
      socketWarnings.push(message.split('\n')[0]!);
      (logger ?? console).warn?.(message);
    },
  } as typeof logger),
);

// One synthesis (bundled, cdk-nag on) and one local start for the whole file.
beforeAll(async () => {
  createFanoutApp({
    handlers: handlersOf(topology),
    topology,
    context: { stage: 'dev', 'aws:cdk:enable-asset-metadata': true },
    nag: true,
    outdir: assemblyDir,
    cloudFormationValidation: false,
  }).app.synth();
  cloud = await startLocalCloud({
    assemblyDir,
    stackName: 'scale-dev',
    registryFile,
    onLog: counter.onLog,
    dynamodb: sharedDynamoDb(),
  });
}, 180_000);
afterAll(async () => {
  await cloud?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe(`a topology of ${SUBSCRIBERS} subscribers on 5 topics`, () => {
  it('synthesizes with an empty cdk-nag report', () => {
    const report = JSON.parse(readFileSync(join(assemblyDir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((r: { violations: unknown[] }) => r.violations)).toEqual([]);
  });

  it('is split into the root stack and nested endpoint stacks, each within the placement margin of every limit', () => {
    const nested = endpointStackIds(cloud.stacks[0]!.outputs[OUTPUT_KEYS.endpointStacks]).map(stackNameOfId);
    expect(cloud.stacks.map((s) => s.stackName)).toEqual(['scale-dev', ...nested]);
    expect(nested.length).toBeGreaterThanOrEqual(
      Math.ceil((SUBSCRIBERS * 19) / (CLOUDFORMATION_STACK_LIMITS.resources * PLACEMENT_FILL_RATIO)) - 1,
    );
    for (const stack of cloud.stacks) {
      const t = stack.template as { Resources: object; Outputs?: object; Parameters?: object };
      expect(Object.keys(t.Resources).length, stack.stackName).toBeLessThanOrEqual(
        CLOUDFORMATION_STACK_LIMITS.resources * PLACEMENT_FILL_RATIO,
      );
      expect(Object.keys(t.Outputs ?? {}).length, stack.stackName).toBeLessThanOrEqual(
        CLOUDFORMATION_STACK_LIMITS.outputs * PLACEMENT_FILL_RATIO,
      );
      expect(Object.keys(t.Parameters ?? {}).length, stack.stackName).toBeLessThan(
        CLOUDFORMATION_STACK_LIMITS.parameters,
      );
      expect(Buffer.byteLength(JSON.stringify(t, undefined, 1)), stack.stackName).toBeLessThan(
        CLOUDFORMATION_STACK_LIMITS.templateBytes,
      );
    }
  });

  it('puts every endpoint in exactly one stack, the one the manifest names', () => {
    const holder = (name: string) => cloud.stacks.findIndex((s) => OUTPUT_KEYS.queueUrl(name) in s.outputs);
    const manifest = JSON.parse(cloud.outputs[OUTPUT_KEYS.manifest]!) as {
      endpoints: { name: string; stack: number }[];
    };
    expect(manifest.endpoints.map((e) => e.name).sort()).toEqual(names);
    for (const e of manifest.endpoints) {
      expect(
        cloud.stacks.filter((s) => OUTPUT_KEYS.queueUrl(e.name) in s.outputs),
        e.name,
      ).toHaveLength(1);
      // Stack k of the manifest is the k-th nested stack; the local cloud deploys them in that order.
      expect(holder(e.name), e.name).toBe(e.stack);
    }
  });

  it("the console's graph draws every endpoint across the stacks: 200 consumers, each fed by its topic's subscription", () => {
    const graph = templateGraph(cloud.template);
    expect(graph.nodes.filter((n) => n.kind === 'function')).toHaveLength(SUBSCRIBERS);
    expect(graph.edges.filter((e) => e.kind === 'subscription')).toHaveLength(SUBSCRIBERS);
    expect(graph.edges.filter((e) => e.kind === 'event-source')).toHaveLength(SUBSCRIBERS);
  });

  it('the operator tools find every queue across the stacks through the registry file', async () => {
    const ops = await connectOperator({ topology, source: { kind: 'local-registry', path: registryFile } });
    try {
      const rows = await subscriberStatus(ops);
      expect(rows.map((r) => r.name).sort()).toEqual(names);
      expect(rows.filter((r) => r.delivery !== 'at-most-once').every((r) => r.dlqVisible === 0)).toBe(true);
    } finally {
      ops.close();
    }
  });

  it('delivers one message per topic, published through the publisher, to every subscriber exactly once', async () => {
    const publisher = await createPublisher({ topology, target: { kind: 'local-registry', path: registryFile } });
    try {
      for (const topic of SCALE_TOPICS) {
        if (topic.fifo)
          await publisher.publish(
            'FundsCaptured',
            { paymentId: `p-${topic.name}`, accountId: 'a-1', amountCents: 100 },
            { via: topic.name },
          );
        else
          await publisher.publish(
            'CartPlaced',
            {
              orderId: `o-${topic.name}`,
              customerId: 'c-1',
              email: 'c@example.com',
              items: [{ sku: 's', quantity: 1 }],
              totalCents: 100,
            },
            { via: topic.name },
          );
      }
    } finally {
      await publisher.close();
    }
    // A failed attempt, if any, is retried: it may come before the one that counts.
    const processed = () => names.filter((name) => (counter.counts(name).processed ?? 0) >= 1).length;
    await waitFor(
      `every one of ${SUBSCRIBERS} consumers processed its message (${processed()} so far)`,
      () => processed() === SUBSCRIBERS,
      240_000,
    );
    expect(counter.consumers()).toEqual(names);
    for (const name of names) {
      const { processed: once, failed: _retried, ...rest } = counter.counts(name);
      expect({ processed: once, ...rest }, name).toEqual({ processed: 1 });
    }
  }, 300_000);

  it('started, read by the operator tools and delivering to every subscriber, no SDK client queued beyond its sockets', () => {
    expect(socketWarnings).toEqual([]);
  });
});
