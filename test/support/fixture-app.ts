import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFanoutApp } from '../../lib/app.ts';
import { type LocalCloud, type StartLocalCloudOptions, startLocalCloud } from '../../local/index.ts';
import type { Topology } from '../../topology/types.ts';
import { handlersOf } from '../fixtures/app/handlers.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { sharedDynamoDb } from './shared-dynamodb.ts';

/** A 60 s CloudWatch period takes one real second. */
export const FIXTURE_TIME_SCALE = 60;

/**
 * Synthesizes `topology` (the framework fixture topology unless given) with lib/ into a fresh temp
 * directory, every consumer on the fixture handler that accepts every event, without cdk-nag or
 * CloudFormation validation, so no other test's cdk.out is touched.
 */
export function synthFixture(topology: Topology = fixtureTopology): { assemblyDir: string; stackName: string } {
  const assemblyDir = mkdtempSync(join(tmpdir(), 'fanout-fixture-'));
  const { app, stack } = createFanoutApp({
    handlers: handlersOf(topology),
    topology,
    outdir: assemblyDir,
    nag: false,
    cloudFormationValidation: false,
  });
  app.synth();
  return { assemblyDir, stackName: stack.stackName };
}

/** Synthesizes `topology` (the fixture topology unless given) and runs it in the local cloud (on the run's DynamoDB Local in vitest). */
export async function startFixtureCloud(
  topology: Topology = fixtureTopology,
  options: Partial<StartLocalCloudOptions> = {},
): Promise<LocalCloud> {
  return startLocalCloud({
    ...synthFixture(topology),
    timeScale: FIXTURE_TIME_SCALE,
    dynamodb: sharedDynamoDb(),
    ...options,
  });
}
