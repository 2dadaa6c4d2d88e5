import type { FanoutConfig } from 'fanout/local';
import { runShopDemo } from './examples/shop/demo/run-demo.ts';
import { referenceTopology } from './examples/shop/topology.ts';

/** What the `fanout` CLI, `npm start` and the console know of this app: the shop example. */
export default { topology: referenceTopology, demo: runShopDemo } satisfies FanoutConfig;
