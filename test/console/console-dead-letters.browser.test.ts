import { PublishCommand } from '@aws-sdk/client-sns';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { browserSkipReason, openConsole } from '../support/browser.ts';
import { pollerOf, startConsoleFixture, type ConsoleFixture } from './support/console-fixture.ts';

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

    it('shows the poison message with its reason, the DLQ alarm going ALARM, then OK once a confirmed replay empties the DLQ', async () => {
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
      const reason = page
        .locator('[data-testid="dlq-messages"] [data-testid="dlq-reason"]:has-text("schema-validation")')
        .first();
      await reason.waitFor();
      expect(await reason.textContent()).toMatch(/^schema-validation: /);
      const card = await page.$('[data-testid="dlq-messages"] .dead-letter');
      expect(await card!.textContent()).toContain('poison-console-1');

      await page.click('[data-tab="alarms"]');
      await page.waitForSelector(`[data-pane="alarms"] [data-alarm="${DLQ_ALARM}"][data-state="ALARM"]`);
      await page.waitForSelector(`svg [data-node="${dlqId}"].alarm`);

      // Keep the replayed message in the inventory queue (the consumer would dead-letter it again).
      pollerOf(cloud, 'inventory').pause();
      await page.click('[data-tab="dead letters"]');
      // A schema-validation failure cannot be fixed by a replay: the console says so and asks first.
      const dialogs: string[] = [];
      page.once('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.accept();
      });
      await page.click('[data-testid="dlq-replay-all"]');
      await page.waitForSelector('[data-testid="dlq-status"]:text-matches("^Moved 1 message\\\\(s\\\\)")');
      expect(dialogs).toHaveLength(1);
      expect(dialogs[0]).toContain(
        "schema-validation ×1 (its payload does not match the event's schema, and a replay sends the same payload)",
      );
      expect(dialogs[0]).toMatch(/Replay them anyway\?$/);
      await page.waitForSelector('[data-testid="dlq-empty"]');

      await page.click('[data-tab="alarms"]');
      // A locator, not an element handle: the view redraws on every alarm change and keeps the alarm open.
      const alarm = page.locator(`[data-pane="alarms"] [data-alarm="${DLQ_ALARM}"][data-state="OK"]`);
      await alarm.click();
      await alarm.locator('[data-transition]').first().waitFor();
      const transitions = await alarm
        .locator('[data-transition]')
        .evaluateAll((items) => items.map((i) => i.getAttribute('data-transition')));
      // Newest first: back to OK after the replay, and the move into ALARM before it.
      expect(transitions[0]).toBe('ALARM->OK');
      expect(transitions[1]).toMatch(/->ALARM$/);
      expect(await alarm.textContent()).toContain('Threshold Crossed');
    });

    it('purges a DLQ after confirmation and says how many messages went', async () => {
      const { cloud } = fixture;
      for (const orderId of ['poison-purge-1', 'poison-purge-2'])
        await cloud.clients.sns.send(
          new PublishCommand({
            TopicArn: cloud.outputs[OUTPUT_KEYS.topicArn('orders')],
            Message: JSON.stringify({ orderId }),
            MessageAttributes: { eventType: { DataType: 'String', StringValue: 'CartPlaced' } },
          }),
        );
      // The consumer dead-letters them, and the one replayed above again: three in the inventory DLQ.
      pollerOf(cloud, 'inventory').resume();
      await page.click('[data-tab="dead letters"]');
      await page.waitForSelector('[data-testid="dlq-messages"] .dead-letter:nth-child(3)', { timeout: 20_000 });
      const dialogs: string[] = [];
      page.once('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.accept();
      });
      await page.click('[data-testid="dlq-purge"]');
      await page.waitForSelector('[data-testid="dlq-status"]:text-is("Purged 3 message(s).")');
      await page.waitForSelector('[data-testid="dlq-empty"]');
      expect(dialogs).toEqual(['Delete every message in the DLQ of inventory? This cannot be undone.']);
    });
  },
);
