import type { FanoutConfig } from '../../../../local/index.ts';
import { fixtureTopology } from '../../../fixtures/app/topology.ts';

/** What the `fanout` CLI knows of the app the CLI tests run it in: the framework fixture. */
export default { topology: fixtureTopology } satisfies FanoutConfig;
