import type { Browser } from 'playwright-core';
import { type LocalConsole, startConsole } from '../../../console/index.ts';
import type { LocalCloud } from '../../../local/index.ts';
import { OUTPUT_KEYS } from '../../../contracts/outputs.ts';
import { fixtureTopology } from '../../fixtures/app/topology.ts';
import { startFixtureCloud } from '../../support/fixture-app.ts';
import { launchChromium } from '../../support/browser.ts';

export interface ConsoleFixture {
  readonly cloud: LocalCloud;
  readonly console: LocalConsole;
  readonly browser: Browser;
  stop(): Promise<void>;
}

/** The fixture stack in the local cloud, its console and a headless Chromium. */
export async function startConsoleFixture(): Promise<ConsoleFixture> {
  const cloud = await startFixtureCloud();
  const localConsole = await startConsole(cloud, { topology: fixtureTopology });
  const browser = await launchChromium();
  return {
    cloud,
    console: localConsole,
    browser,
    async stop() {
      await browser.close();
      await localConsole.stop();
      await cloud.stop();
    },
  };
}

/** The event source poller of a Fanout endpoint's function (pause it to keep messages in the queue). */
export function pollerOf(cloud: LocalCloud, endpoint: string) {
  const fn = cloud.outputs[OUTPUT_KEYS.functionName(endpoint)];
  const poller = cloud.pollers.find((p) => p.config.functionName === fn);
  if (!poller) throw new Error(`no event source mapping for function ${fn}`);
  return poller;
}
