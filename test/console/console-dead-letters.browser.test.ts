import { PublishCommand } from '@aws-sdk/client-sns';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { browserSkipReason, openConsole } from './browser.ts';
import { pollerOf, startConsoleFixture, type ConsoleFixture } from './console-fixture.ts';

const DLQ_ALARM = 'fanout-dev-inventory-dlq';

describe.skipIf(browserSkipReason !== undefined)(
  'local console in Chromium: a poison message in the DLQ browser, its alarm and a replay',
  () => {
    let fixture: ConsoleFixture;
    let page: Page;

    beforeAll(async () => {
      fixture = await startConsoleFixture();
      ({ page } = await openConsole(fixture.browser, fixture.console.url));
    });
    afterAll(async () => fixture?.stop());

    it('shows the poison message with its reason, the DLQ alarm going ALARM, then OK once a replay empties the DLQ', async () => {
      const { cloud } = fixture;
      // A producer that skips validation: the consumers' schema check dead-letters it at once.
      await cloud.clients.sns.send(
        new PublishCommand({
          TopicArn: cloud.outputs[OUTPUT_KEYS.topicArn('orders')],
          Message: JSON.stringify({ orderId: 'poison-console-1' }),
          MessageAttributes: {
            eventType: { DataType: 'String', StringValue: 'CartPlaced' },
            correlationId: { DataType: 'String', StringValue: 'corr-poison-1' },
          },
        }),
      );
      const dlqId = cloud.resources
        .all()
        .find((r) => r.physicalId === cloud.outputs[OUTPUT_KEYS.deadLetterQueueUrl('inventory')])!.logicalId;

      await page.click(`svg [data-node="${dlqId}"]`);
      await page.click('[data-testid="open-dlq"]');
      const reason = await page.waitForSelector(
        '[data-testid="dlq-messages"] [data-testid="dlq-reason"]:has-text("schema-validation")',
      );
      expect(await reason.textContent()).toMatch(/^schema-validation: /);
      const card = await page.$('[data-testid="dlq-messages"] .dead-letter');
      expect(await card!.textContent()).toContain('poison-console-1');

      await page.click('[data-tab="alarms"]');
      await page.waitForSelector(`[data-pane="alarms"] [data-alarm="${DLQ_ALARM}"][data-state="ALARM"]`);
      await page.waitForSelector(`svg [data-node="${dlqId}"].alarm`);

      // Keep the replayed message in the inventory queue (the consumer would dead-letter it again).
      pollerOf(cloud, 'inventory').pause();
      await page.click('[data-tab="dead letters"]');
      await page.click('[data-testid="dlq-replay-all"]');
      await page.waitForSelector('[data-testid="dlq-status"]:text-matches("^Moved 1 message\\\\(s\\\\)")');
      await page.waitForSelector('[data-testid="dlq-empty"]');

      await page.click('[data-tab="alarms"]');
      const alarm = await page.waitForSelector(`[data-pane="alarms"] [data-alarm="${DLQ_ALARM}"][data-state="OK"]`);
      await alarm.click();
      const transitions = await alarm.$$eval('[data-transition]', (items) =>
        items.map((i) => i.getAttribute('data-transition')),
      );
      // Newest first: back to OK after the replay, and the move into ALARM before it.
      expect(transitions[0]).toBe('ALARM->OK');
      expect(transitions[1]).toMatch(/->ALARM$/);
      expect(await alarm.textContent()).toContain('Threshold Crossed');
    });
  },
);
