import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFanoutApp } from '../../lib/app.ts';
import { referenceTopology } from '../../examples/shop/topology.ts';
import type { Topology } from '../../topology/types.ts';
import { SHOP_HANDLERS } from './shop.ts';

/**
 * Synthesizes `topology` (the reference topology unless given) with lib/ into a fresh temp directory,
 * without cdk-nag or CloudFormation validation, so no other test's cdk.out is touched.
 */
export function synthReference(topology: Topology = referenceTopology): { assemblyDir: string; stackName: string } {
  const assemblyDir = mkdtempSync(join(tmpdir(), 'fanout-reference-'));
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
