import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFanoutApp } from '../../lib/app.ts';
import { startLocalCloud, type LocalCloud, type StartLocalCloudOptions } from '../../local/index.ts';
import { referenceTopology } from '../../topology/reference.ts';
import type { Topology } from '../../topology/types.ts';
import { sharedDynamoDb } from '../support/shared-dynamodb.ts';

/** A 60 s CloudWatch period takes one real second. */
export const REFERENCE_TIME_SCALE = 60;

/** Synthesizes `topology` (the reference topology unless given) with lib/ and runs it in the local cloud (on the run's DynamoDB Local in vitest). */
export async function startReferenceCloud(
  topology: Topology = referenceTopology,
  options: Partial<StartLocalCloudOptions> = {},
): Promise<LocalCloud> {
  const outdir = mkdtempSync(join(tmpdir(), 'fanout-local-reference-'));
  const { app, stack } = createFanoutApp({ topology, outdir, nag: false, cloudFormationValidation: false });
  app.synth();
  return startLocalCloud({
    assemblyDir: outdir,
    stackName: stack.stackName,
    timeScale: REFERENCE_TIME_SCALE,
    dynamodb: sharedDynamoDb(),
    ...options,
  });
}
