import { fileURLToPath } from 'node:url';
import type { LocalCloud, StartLocalCloudOptions } from '../../../../local/index.ts';
import { FIXTURE_TIME_SCALE, startAppCloud, synthApp } from '../../../../test/support/fixture-app.ts';
import type { Topology } from '../../../../topology/types.ts';
import { referenceTopology } from '../../topology.ts';

/** The shop example's handler folder. */
export const SHOP_HANDLERS = fileURLToPath(new URL('../../handlers', import.meta.url));

/** A 60 s CloudWatch period takes one real second. */
export const SHOP_TIME_SCALE = FIXTURE_TIME_SCALE;

/** Synthesizes `topology` (the shop topology unless given) with the shop's handlers into a fresh temp directory. */
export const synthShop = (topology: Topology = referenceTopology) => synthApp(topology, SHOP_HANDLERS);

/** Synthesizes `topology` (the shop topology unless given) and runs it in the local cloud. */
export const startShopCloud = (
  topology: Topology = referenceTopology,
  options: Partial<StartLocalCloudOptions> = {},
): Promise<LocalCloud> => startAppCloud(topology, SHOP_HANDLERS, options);
