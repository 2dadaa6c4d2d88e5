import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { alarmCell } from '../../client/cli/status-command.ts';
import type { SubscriberStatus } from '../../client/status.ts';

const status = (alarms: SubscriberStatus['alarms']): SubscriberStatus => ({
  name: 'inventory',
  path: 'orders/inventory',
  delivery: 'exactly-once',
  fifo: false,
  visible: 0,
  inFlight: 0,
  delayed: 0,
  oldestAgeSeconds: 0,
  dlqVisible: 0,
  alarms,
});
const cell = (alarms: SubscriberStatus['alarms']) => stripVTControlCharacters(alarmCell(status(alarms), 'fanout-dev'));
const alarm = (kind: string, state: string) => ({ name: `fanout-dev-inventory-${kind}`, state });

describe('fanout status alarm column', () => {
  it('names the alarms that need attention and counts the healthy ones', () => {
    expect(
      cell([alarm('depth', 'OK'), alarm('dlq', 'ALARM'), alarm('age', 'INSUFFICIENT_DATA'), alarm('errors', 'OK')]),
    ).toBe('dlq ALARM, age INSUFFICIENT_DATA, 2 OK');
  });

  it('says "n OK" when every alarm is fine, "none" without alarms and "n/a" without a source', () => {
    expect(cell([alarm('depth', 'OK'), alarm('dlq', 'OK')])).toBe('2 OK');
    expect(cell([])).toBe('none');
    expect(cell(undefined)).toBe('n/a');
  });

  it('shows the full name of an alarm that does not follow the <prefix>-<endpoint>-<kind> naming', () => {
    expect(cell([{ name: 'team-pager', state: 'ALARM' }])).toBe('team-pager ALARM');
  });
});
