import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFanoutApp } from '../../../../lib/app.ts';
import { startLocalCloud, type LocalCloud, type StartLocalCloudOptions } from '../../../../local/index.ts';
import type { Topology } from '../../../../topology/types.ts';
import { sharedDynamoDb } from '../../../../test/support/shared-dynamodb.ts';
import { referenceTopology } from '../../topology.ts';

/** The shop example's handler folder. */
export const SHOP_HANDLERS = fileURLToPath(new URL('../../handlers', import.meta.url));

/** A 60 s CloudWatch period takes one real second. */
export const SHOP_TIME_SCALE = 60;

/**
 * Synthesizes `topology` (the shop topology unless given) with lib/ and the shop's handlers into a fresh
 * temp directory, without cdk-nag or CloudFormation validation, so no other test's cdk.out is touched.
 */
export function synthShop(topology: Topology = referenceTopology): { assemblyDir: string; stackName: string } {
  const assemblyDir = mkdtempSync(join(tmpdir(), 'fanout-shop-'));
  const { app, stack } = createFanoutApp({
    handlers: SHOP_HANDLERS,
    topology,
    outdir: assemblyDir,
    nag: false,
    cloudFormationValidation: false,
  });
  app.synth();
  return { assemblyDir, stackName: stack.stackName };
}

/** Synthesizes `topology` (the shop topology unless given) and runs it in the local cloud (on the run's DynamoDB Local in vitest). */
export async function startShopCloud(
  topology: Topology = referenceTopology,
  options: Partial<StartLocalCloudOptions> = {},
): Promise<LocalCloud> {
  return startLocalCloud({
    ...synthShop(topology),
    timeScale: SHOP_TIME_SCALE,
    dynamodb: sharedDynamoDb(),
    ...options,
  });
}
