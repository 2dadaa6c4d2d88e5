import { join } from 'node:path';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalConsole, startConsole } from '../../console/index.ts';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import type { LocalCloud } from '../../local/index.ts';
import type { Topology } from '../../topology/index.ts';
import { Note } from '../fixtures/handlers/logs-and-throws.ts';
import { startAppCloud } from '../support/fixture-app.ts';
import { browserSkipReason, launchChromium, openConsole } from '../support/browser.ts';

// The console's logs view shows what a handler writes as it writes it: its lines, and the stack of the
// error it throws, filterable by function, correlation id and text.
const topology: Topology = {
  name: 'consolelogs',
  events: { Note: { schema: Note } },
  topics: [
    {
      name: 'notes',
      events: ['Note'],
      subscriptions: [
        { name: 'noter', consumer: { handler: 'logs-and-throws' } },
        { name: 'echo', consumer: { handler: 'logs-and-throws' } },
      ],
    },
  ],
};

describe.skipIf(browserSkipReason !== undefined)('console logs view in Chromium', () => {
  let cloud: LocalCloud;
  let localConsole: LocalConsole;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const publish = (id: string, correlationId: string) =>
    cloud.clients.sns.send(
      new PublishCommand({
        TopicArn: cloud.outputs[OUTPUT_KEYS.topicArn('notes')],
        Message: JSON.stringify({ id }),
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: 'Note' },
          correlationId: { DataType: 'String', StringValue: correlationId },
        },
      }),
    );
  /** The rows shown once the view has redrawn (it redraws on the next animation frame after an input). */
  const rows = async (selector = '[data-testid="logs"] tbody tr') => {
    await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
    return page.$$eval(selector, (trs) =>
      trs.map((tr) => ({ fn: tr.getAttribute('data-function'), text: tr.textContent ?? '' })),
    );
  };

  beforeAll(async () => {
    cloud = await startAppCloud(topology, join(import.meta.dirname, '../fixtures/handlers'));
    localConsole = await startConsole(cloud, { topology });
    browser = await launchChromium();
    ({ page } = await openConsole(browser, localConsole.url));
    await publish('before-load', 'corr-before');
    await page.click('[data-tab="logs"]');
  });
  afterAll(async () => {
    await browser?.close();
    await localConsole?.stop();
    await cloud?.stop();
  });

  it("shows a handler's lines and the stack of the error it threw, as they are written", async () => {
    await publish('live-1', 'corr-live-1');
    const failure = page
      .locator('[data-testid="logs"] tbody tr:has-text("corr-live-1"):has-text("failed Note")')
      .first();
    await failure.waitFor();
    const text = (await failure.textContent()) ?? '';
    expect(text).toContain('Error: note live-1 refused by the fixture');
    expect(text).toMatch(/\n {4}Error: note live-1 refused by the fixture\n {8}at /);
    await page.waitForSelector('[data-testid="logs"] tbody tr:has-text("handling note {\\"id\\":\\"live-1\\"}")');
    await page.waitForSelector('[data-testid="logs"] tbody tr:has-text("plain console line for live-1")');
    expect(await page.textContent('[data-testid="logs"] thead')).toContain('time (wall clock)');
  });

  it('filters by function, correlation id and text', async () => {
    await page.waitForSelector('[data-testid="logs"] tbody tr:has-text("plain console line for before-load")');
    await page.waitForSelector('[data-function="consolelogs-dev-echo"]:has-text("plain console line for live-1")');
    await page.selectOption('[data-testid="log-function"]', 'consolelogs-dev-noter');
    const byFunction = await rows();
    expect(byFunction.length).toBeGreaterThan(0);
    expect(new Set(byFunction.map((r) => r.fn))).toEqual(new Set(['consolelogs-dev-noter']));

    await page.fill('[data-testid="log-correlation"]', 'corr-live-1');
    const byCorrelation = await rows();
    expect(byCorrelation.length).toBeGreaterThanOrEqual(2);
    expect(byCorrelation.every((r) => r.text.includes('corr-live-1'))).toBe(true);

    await page.fill('[data-testid="log-text"]', 'refused by the fixture');
    const byText = await rows();
    expect(byText.length).toBeGreaterThan(0);
    // Its failures, and its dead-lettering once the retries are spent: each line with the error.
    expect(byText.every((r) => /(failed|dead-lettered) Note/.test(r.text) && r.text.includes('corr-live-1'))).toBe(
      true,
    );

    await page.fill('[data-testid="log-text"]', 'no line says this');
    expect(await rows()).toEqual([]);
    expect(await page.textContent('[data-testid="log-count"]')).toMatch(/^0 of \d+ lines$/);
  });

  it("opens a function's lines from its node in the graph", async () => {
    await page.fill('[data-testid="log-text"]', '');
    await page.fill('[data-testid="log-correlation"]', '');
    await page.selectOption('[data-testid="log-function"]', '');
    await page.click('svg [data-kind="function"][data-name="echo"]');
    await page.click('[data-testid="open-logs"]');
    expect(await page.inputValue('[data-testid="log-function"]')).toBe('consolelogs-dev-echo');
    const shown = await rows();
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown.map((r) => r.fn))).toEqual(new Set(['consolelogs-dev-echo']));
  });
});
