import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFanoutApp } from '../../lib/app.ts';
import type { HandlerLocation } from '../../lib/handler-files.ts';
import { type LocalCloud, type StartLocalCloudOptions, startLocalCloud } from '../../local/index.ts';
import type { Topology } from '../../topology/types.ts';
import { handlersOf } from '../fixtures/app/handlers.ts';
import { fixtureTopology } from '../fixtures/app/topology.ts';
import { sharedDynamoDb } from './shared-dynamodb.ts';

/** A 60 s CloudWatch period takes one real second. */
export const FIXTURE_TIME_SCALE = 60;

/**
 * Synthesizes `topology` with lib/ and the given handlers into a fresh temp directory, without
 * cdk-nag or CloudFormation validation, so no other test's cdk.out is touched.
 */
export function synthApp(topology: Topology, handlers: HandlerLocation): { assemblyDir: string; stackName: string } {
  const assemblyDir = mkdtempSync(join(tmpdir(), `fanout-${topology.name}-`));
  const { app, stack } = createFanoutApp({
    handlers,
    topology,
    outdir: assemblyDir,
    nag: false,
    cloudFormationValidation: false,
  });
  app.synth();
  return { assemblyDir, stackName: stack.stackName };
}

/** Synthesizes `topology` (`synthApp`) and runs it in the local cloud (on the run's DynamoDB Local in vitest). */
export async function startAppCloud(
  topology: Topology,
  handlers: HandlerLocation,
  options: Partial<StartLocalCloudOptions> = {},
): Promise<LocalCloud> {
  return startLocalCloud({
    ...synthApp(topology, handlers),
    timeScale: FIXTURE_TIME_SCALE,
    dynamodb: sharedDynamoDb(),
    ...options,
  });
}

/** `synthApp` of the fixture topology (unless given), every consumer on the handler that accepts every event. */
export const synthFixture = (topology: Topology = fixtureTopology) => synthApp(topology, handlersOf(topology));

/** `startAppCloud` of the fixture topology (unless given) on the fixture handler. */
export const startFixtureCloud = (
  topology: Topology = fixtureTopology,
  options: Partial<StartLocalCloudOptions> = {},
) => startAppCloud(topology, handlersOf(topology), options);
