/**
 * Regenerates docs/console.png: the local console on the reference stack under `npm start`'s demo
 * traffic, taken once a DLQ alarm has fired (the demo's poison messages), with the inventory queue selected.
 * `npx tsx docs/console-screenshot.ts` (needs Chromium, see test/support/browser.ts).
 */
import { join } from 'node:path';
import { startConsole } from '../console/index.ts';
import { OUTPUT_KEYS } from '../contracts/outputs.ts';
import { runShopDemo } from '../examples/shop/demo/run-demo.ts';
import { referenceTopology } from '../examples/shop/topology.ts';
import { OutcomeCounter } from '../local/internal.ts';
import { launchChromium } from '../test/support/browser.ts';
import { startShopCloud } from '../examples/shop/test/local/shop-cloud.ts';

const counter = new OutcomeCounter();
const cloud = await startShopCloud(referenceTopology, { onLog: counter.onLog });
const localConsole = await startConsole(cloud, { topology: referenceTopology });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1200 }, deviceScaleFactor: 1 });
  await page.goto(localConsole.url);
  await page.waitForSelector('body[data-ready="true"]');
  const demo = runShopDemo({ cloud, counter, size: 200 });
  const queue = cloud.resources
    .all()
    .find((r) => r.physicalId === cloud.outputs[OUTPUT_KEYS.queueUrl('analytics')])!.logicalId;
  await page.click(`svg [data-node="${queue}"]`);
  await page.waitForSelector('[data-pane="alarms"] [data-alarm$="-dlq"][data-state="ALARM"]', {
    state: 'attached',
    timeout: 60_000,
  });
  await page.screenshot({ path: join(import.meta.dirname, 'console.png') });
  await demo;
  console.log(`Wrote ${join(import.meta.dirname, 'console.png')}`);
} finally {
  await browser.close();
  await localConsole.stop();
  await cloud.stop();
}
