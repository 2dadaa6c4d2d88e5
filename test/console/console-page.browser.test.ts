import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { browserSkipReason, openConsole, type PageProblems } from '../support/browser.ts';
import { pollerOf, startConsoleFixture, type ConsoleFixture } from './support/console-fixture.ts';

describe.skipIf(browserSkipReason !== undefined)(
  'local console in Chromium: page, graph, live counters, publish form',
  () => {
    let fixture: ConsoleFixture;
    let page: Page;
    let problems: PageProblems;

    beforeAll(async () => {
      fixture = await startConsoleFixture();
      ({ page, problems } = await openConsole(fixture.browser, fixture.console.url));
    });
    afterAll(async () => fixture?.stop());

    it('loads with no console errors and nothing fetched from outside the console', async () => {
      await page.waitForSelector('[data-testid="stream-state"]:text("live")');
      expect(problems.errors).toEqual([]);
      expect(problems.externalRequests).toEqual([]);
    });

    it('draws every topic, queue and function of the template', async () => {
      const resources = Object.entries(fixture.cloud.template.Resources);
      const expected = resources.filter(([, r]) =>
        ['AWS::SNS::Topic', 'AWS::SQS::Queue', 'AWS::Lambda::Function'].includes(r.Type),
      );
      expect(expected.length).toBe(3 + 19 + 7);
      const drawn = await page.$$eval('svg [data-node]', (nodes) => nodes.map((n) => n.getAttribute('data-node')));
      for (const [logicalId] of expected) expect(drawn, logicalId).toContain(logicalId);
      const names = await page.$$eval('svg [data-kind="function"]', (nodes) =>
        nodes.map((n) => n.getAttribute('data-name')).sort(),
      );
      expect(names).toEqual(['analytics', 'audit', 'email', 'inventory', 'jobs', 'ledger', 'warehouse']);
    });

    it('moves the counters when a message published from the form is queued, then processed', async () => {
      const jobs = pollerOf(fixture.cloud, 'jobs');
      jobs.pause();
      const queueId = fixture.cloud.resources
        .all()
        .find((r) => r.physicalId === fixture.cloud.outputs[OUTPUT_KEYS.queueUrl('jobs')])!.logicalId;
      const functionId = fixture.cloud.resources
        .all()
        .find((r) => r.physicalId === fixture.cloud.outputs[OUTPUT_KEYS.functionName('jobs')])!.logicalId;
      await page.click('[data-tab="publish"]');
      await page.selectOption('[data-testid="publish-event"]', 'TaskRequested');
      await page.fill('[data-field="jobId"]', 'console-job-1');
      await page.fill('[data-field="input"]', 'one two three');
      await page.fill('[data-testid="publish-correlation-id"]', 'corr-console-1');
      await page.click('[data-testid="publish-send"]');
      await page.waitForSelector('[data-testid="publish-result"].ok');
      await page.waitForSelector(`[data-testid="live-${queueId}"]:text-matches("^1 visible")`);
      await page.click('[data-tab="queues"]');
      await page.waitForSelector(
        `[data-testid="queues-table"] tr[data-queue="fanout-dev-jobs"] td:nth-child(2):text-is("1")`,
      );
      jobs.resume();
      await page.waitForSelector(`[data-testid="live-${functionId}"]:text-matches("^1 invocations")`);
      await page.waitForSelector(`[data-testid="live-${queueId}"]:text-matches("^0 visible")`);
      await page.click('[data-tab="outcomes"]');
      await page.fill('[data-testid="outcome-text"]', 'corr-console-1');
      const row = page.locator('[data-testid="outcomes"] tr[data-consumer="jobs"][data-outcome="processed"]').first();
      await row.waitFor();
      expect(await row.textContent()).toContain('TaskRequested');
    });

    it('rejects an invalid payload in the publish form with the schema message, sending nothing', async () => {
      const before = fixture.cloud.lambdas.stats(fixture.cloud.outputs[OUTPUT_KEYS.functionName('email')]!).invocations;
      await page.click('[data-tab="publish"]');
      await page.selectOption('[data-testid="publish-event"]', 'CartShipped');
      await page.fill('[data-field="email"]', 'not-an-email');
      await page.click('[data-testid="publish-send"]');
      const result = page.locator('[data-testid="publish-result"].error').first();
      await result.waitFor();
      expect(await result.textContent()).toMatch(
        /^Payload of event type 'CartShipped' is invalid: field 'email' breaks rule 'email' \(Invalid email: Received "not-an-email"\)\. Fix: /,
      );
      expect(fixture.cloud.lambdas.stats(fixture.cloud.outputs[OUTPUT_KEYS.functionName('email')]!).invocations).toBe(
        before,
      );
    });

    it('clears the validation error of one event type when another is picked', async () => {
      await page.click('[data-tab="publish"]');
      await page.selectOption('[data-testid="publish-event"]', 'CartShipped');
      await page.fill('[data-field="email"]', 'not-an-email');
      await page.click('[data-testid="publish-send"]');
      await page.waitForSelector('[data-testid="publish-result"].error');
      await page.selectOption('[data-testid="publish-event"]', 'TaskRequested');
      const result = await page.$eval('[data-testid="publish-result"]', (p) => ({
        text: p.textContent,
        className: p.className,
      }));
      expect(result).toEqual({ text: '', className: 'status' });
    });

    it('fits the whole graph in its pane, and zooms with the buttons and at the pointer with the wheel', async () => {
      const zoom = () => page.getAttribute('#graph > svg', 'data-zoom');
      const nodeBoxes = () =>
        page.$$eval('svg [data-node]', (nodes) =>
          nodes.map((n) => {
            const r = n.getBoundingClientRect();
            return { id: n.getAttribute('data-node')!, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
          }),
        );
      const allInside = async () => {
        const pane = await page.$eval('#graph', (g) => {
          const r = g.getBoundingClientRect();
          return {
            left: r.left,
            right: r.right,
            top: r.top,
            bottom: r.bottom,
            scrolls: g.scrollHeight > g.clientHeight || g.scrollWidth > g.clientWidth,
          };
        });
        const outside = (await nodeBoxes()).filter(
          (b) =>
            b.left < pane.left - 1 || b.right > pane.right + 1 || b.top < pane.top - 1 || b.bottom > pane.bottom + 1,
        );
        return { outside: outside.map((b) => b.id), scrolls: pane.scrolls };
      };
      expect(await zoom()).toBe('1.00');
      expect(await allInside()).toEqual({ outside: [], scrolls: false });

      const width = async (id: string) => (await nodeBoxes()).find((b) => b.id === id)!;
      const first = (await nodeBoxes())[0]!;
      await page.click('[data-testid="zoom-in"]');
      expect(await zoom()).toBe('1.25');
      const zoomed = await width(first.id);
      expect((zoomed.right - zoomed.left) / (first.right - first.left)).toBeCloseTo(1.25, 2);
      await page.click('[data-testid="zoom-out"]');
      await page.click('[data-testid="zoom-out"]');
      expect(await zoom()).toBe('0.80');
      await page.click('[data-testid="zoom-fit"]');
      expect(await zoom()).toBe('1.00');

      // The wheel zooms about the pointer: the node under it stays under it.
      const centre = { x: (first.left + first.right) / 2, y: (first.top + first.bottom) / 2 };
      await page.mouse.move(centre.x, centre.y);
      await page.mouse.wheel(0, -100);
      await page.waitForSelector('#graph > svg[data-zoom="1.25"]');
      const after = await width(first.id);
      expect((after.left + after.right) / 2).toBeCloseTo(centre.x, 0);
      expect((after.top + after.bottom) / 2).toBeCloseTo(centre.y, 0);
      expect(await page.evaluate('window.scrollY')).toBe(0);
      await page.click('[data-testid="zoom-fit"]');
      expect(await allInside()).toEqual({ outside: [], scrolls: false });
    });
  },
);
