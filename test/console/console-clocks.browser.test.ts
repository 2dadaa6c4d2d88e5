import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { FIXTURE_TIME_SCALE } from '../support/fixture-app.ts';
import { browserSkipReason, openConsole } from '../support/browser.ts';
import { pollerOf, startConsoleFixture, type ConsoleFixture } from './support/console-fixture.ts';

// The local cloud runs two clocks: the wall clock, and a virtual one FIXTURE_TIME_SCALE times faster
// for alarm periods and queue ages. Every time the console shows says which one it is on, and times
// of day are all on the wall clock (the alarm clock's stamps are converted).
describe.skipIf(browserSkipReason !== undefined)('console clocks in Chromium', () => {
  let fixture: ConsoleFixture;
  let page: Page;
  beforeAll(async () => {
    fixture = await startConsoleFixture();
    ({ page } = await openConsole(fixture.browser, fixture.console.url));
  });
  afterAll(async () => fixture?.stop());

  it('says in the header which clock times of day and ages are on', async () => {
    expect(await page.textContent('#clock')).toBe(
      `time scale ×${FIXTURE_TIME_SCALE} · times of day: wall clock · ages and alarm periods: virtual (×${FIXTURE_TIME_SCALE} faster)`,
    );
  });

  it("labels a queue's age of oldest as virtual, with its wall-clock length beside it", async () => {
    const { cloud } = fixture;
    const jobs = pollerOf(cloud, 'jobs');
    jobs.pause();
    try {
      await cloud.clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: cloud.outputs[OUTPUT_KEYS.queueUrl('jobs')],
          MessageBody: JSON.stringify({ jobId: 'clock-1', input: 'a' }),
          MessageAttributes: { eventType: { DataType: 'String', StringValue: 'TaskRequested' } },
        }),
      );
      const headers = await page.$$eval('[data-testid="queues-table"] th', (ths) => ths.map((t) => t.textContent));
      expect(headers).toContain('oldest (virtual)');
      expect(headers).toContain('last minutes (wall clock)');
      const cell = page
        .locator(
          '[data-testid="queues-table"] tr[data-queue="fanout-dev-jobs"] td:nth-child(5):text-matches("^[1-9]\\\\d* (s|min) virtual$")',
        )
        .first();
      await cell.waitFor();
      const [text, title] = await cell.evaluate((td) => [td.textContent!, td.getAttribute('title')!]);
      expect(title).toMatch(new RegExp(`^virtual time at ×${FIXTURE_TIME_SCALE}: \\d+ s on the wall clock$`));
      // The two say the same age: the virtual one is FIXTURE_TIME_SCALE times the wall-clock one.
      const virtualSeconds = Number(text.split(' ')[0]) * (text.includes('min') ? 60 : 1);
      const wallSeconds = Number(/: (\d+) s/.exec(title)![1]);
      expect(Math.abs(virtualSeconds / FIXTURE_TIME_SCALE - wallSeconds)).toBeLessThanOrEqual(1);
      await page.click('[data-testid="queues-table"] tr[data-queue="fanout-dev-jobs"] button');
      expect(await page.textContent('[data-testid="chart-clocks"]')).toBe(
        'Across: wall clock. Age of oldest: virtual seconds.',
      );
      expect(await page.textContent('[data-testid="detail"]')).toContain('age of oldest (virtual s)');
    } finally {
      jobs.resume();
    }
  });

  it('stamps alarm transitions on the wall clock, with the alarm clock (ahead of it) in the tooltip', async () => {
    await page.click('[data-tab="alarms"]');
    const stamp = page.locator('[data-pane="alarms"] [data-transition] time[data-clock="wall"]').first();
    await stamp.waitFor({
      state: 'attached',
    });
    const readAt = Date.now();
    const { datetime, title, text } = await stamp.evaluate((t) => ({
      datetime: t.getAttribute('datetime')!,
      title: t.getAttribute('title')!,
      text: t.textContent!,
    }));
    expect(text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} wall clock$/);
    expect(Date.parse(datetime)).toBeLessThanOrEqual(readAt);
    const virtual = /^on the alarm clock \(virtual, ×60\): (\S+)$/.exec(title)?.[1];
    expect(virtual).toBeDefined();
    expect(Date.parse(virtual!.replace('+0000', 'Z'))).toBeGreaterThan(Date.parse(datetime));
  });

  it('heads the outcomes and logs tables with the wall clock', async () => {
    for (const tab of ['outcomes', 'logs']) {
      await page.click(`[data-tab="${tab}"]`);
      expect(await page.textContent(`[data-pane="${tab}"] thead`)).toContain('time (wall clock)');
    }
  });
});
