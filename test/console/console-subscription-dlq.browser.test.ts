import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_KEYS } from '../../contracts/outputs.ts';
import { browserSkipReason, openConsole } from '../support/browser.ts';
import { startConsoleFixture, type ConsoleFixture } from './support/console-fixture.ts';

describe.skipIf(browserSkipReason !== undefined)(
  'local console in Chromium: an SNS subscription DLQ is browsed and replayed to its subscriber',
  () => {
    let fixture: ConsoleFixture;
    let page: Page;

    beforeAll(async () => {
      fixture = await startConsoleFixture();
      ({ page } = await openConsole(fixture.browser, fixture.console.url));
    });
    afterAll(async () => fixture?.stop());

    it('shows what SNS could not deliver and moves it to the subscriber queue with `--subscription`', async () => {
      const { cloud } = fixture;
      const subDlqUrl = cloud.outputs[OUTPUT_KEYS.subscriptionDeadLetterQueueUrl('warehouse')]!;
      // What SNS leaves in the subscription DLQ when it cannot deliver: the message as it would have arrived.
      const body = JSON.stringify({
        Type: 'Notification',
        MessageId: 'sns-undelivered-1',
        TopicArn: cloud.outputs[OUTPUT_KEYS.topicArn('orders')],
        Message: JSON.stringify({ orderId: 'undelivered-1', reason: 'x' }),
        Timestamp: new Date().toISOString(),
        MessageAttributes: { eventType: { Type: 'String', Value: 'CartCancelled' } },
      });
      await cloud.clients.sqs.send(new SendMessageCommand({ QueueUrl: subDlqUrl, MessageBody: body }));
      const subDlqId = cloud.resources.all().find((r) => r.physicalId === subDlqUrl)!.logicalId;

      await page.click(`svg [data-node="${subDlqId}"]`);
      await page.click('[data-testid="open-dlq"]');
      const card = page.locator('[data-testid="dlq-messages"] .dead-letter:has-text("undelivered-1")').first();
      await card.waitFor();
      expect(await card.textContent()).toContain('CartCancelled');
      const replay = await page.$('[data-testid="dlq-replay-all"]');
      expect(await replay!.isDisabled()).toBe(false);
      expect(await replay!.getAttribute('title')).toBe('fanout dlq replay warehouse --subscription');

      await page.click('[data-testid="dlq-replay-all"]');
      await page.waitForSelector(
        '[data-testid="dlq-status"]:text-matches("^Moved 1 message\\\\(s\\\\) \\\\(manual move\\\\)")',
      );
      await page.waitForSelector('[data-testid="dlq-empty"]');
      expect(cloud.queueGauges('fanout-dev-warehouse-sub-dlq')!.visible).toBe(0);
    });
  },
);
