/**
 * `npm run bench:console`: the local console's page weight (bytes of the bundle, raw and gzip) and time
 * to interactive in headless Chromium (navigation start → first snapshot drawn, live stream subscribed),
 * against the reference stack in the local cloud. Prints one table.
 */
import { gzipSync } from 'node:zlib';
import Table from 'cli-table3';
import { startConsole } from '../console/index.ts';
import { referenceTopology } from '../examples/shop/topology.ts';
import { startShopCloud } from '../examples/shop/test/local/shop-cloud.ts';
import { launchChromium } from '../test/support/browser.ts';

const LOADS = 7;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const cloud = await startShopCloud();
const localConsole = await startConsole(cloud, { topology: referenceTopology });
const bundle = await localConsole.page;
const browser = await launchChromium();
try {
  const weights = new Table({ head: ['asset', 'bytes', 'gzip bytes'] });
  const assets = {
    'index.html': bundle.html,
    'console.js (dagre, uPlot, views)': bundle.js,
    'console.css (uPlot + ours)': bundle.css,
  };
  let raw = 0;
  let zipped = 0;
  for (const [name, text] of Object.entries(assets)) {
    const bytes = Buffer.byteLength(text);
    const gz = gzipSync(text).length;
    raw += bytes;
    zipped += gz;
    weights.push([name, bytes.toLocaleString('en'), gz.toLocaleString('en')]);
  }
  weights.push(['page total (nothing else is loaded)', raw.toLocaleString('en'), zipped.toLocaleString('en')]);
  console.log(weights.toString());

  const interactive: number[] = [];
  const loaded: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(localConsole.url);
    await page.waitForSelector('body[data-ready="true"]');
    // Evaluated in the page (a string, as the root tsconfig has no DOM types): ms since navigation start.
    interactive.push(await page.evaluate<number>('window.consoleInteractiveMs'));
    loaded.push(await page.evaluate<number>("performance.getEntriesByType('navigation')[0].loadEventEnd"));
    await page.close();
  }
  const timing = new Table({ head: ['measure (headless Chromium, localhost)', `median of ${LOADS}`, 'min', 'max'] });
  const row = (name: string, v: number[]) =>
    timing.push([
      name,
      `${median(v).toFixed(0)} ms`,
      `${Math.min(...v).toFixed(0)} ms`,
      `${Math.max(...v).toFixed(0)} ms`,
    ]);
  row('load event (HTML, JS, CSS)', loaded);
  row('time to interactive (graph drawn, stream subscribed)', interactive);
  console.log(timing.toString());
  console.log(
    `(first load includes the esbuild bundle being served from memory; the bundle is built once at console start)`,
  );
} finally {
  await browser.close();
  await localConsole.stop();
  await cloud.stop();
}
