import { startLocalCloud, type LocalCloud, type StartLocalCloudOptions } from '../../local/index.ts';
import { referenceTopology } from '../../examples/shop/topology.ts';
import type { Topology } from '../../topology/types.ts';
import { synthReference } from '../support/reference-assembly.ts';
import { sharedDynamoDb } from '../support/shared-dynamodb.ts';

/** A 60 s CloudWatch period takes one real second. */
export const REFERENCE_TIME_SCALE = 60;

/** Synthesizes `topology` (the reference topology unless given) with lib/ and runs it in the local cloud (on the run's DynamoDB Local in vitest). */
export async function startReferenceCloud(
  topology: Topology = referenceTopology,
  options: Partial<StartLocalCloudOptions> = {},
): Promise<LocalCloud> {
  return startLocalCloud({
    ...synthReference(topology),
    timeScale: REFERENCE_TIME_SCALE,
    dynamodb: sharedDynamoDb(),
    ...options,
  });
}
