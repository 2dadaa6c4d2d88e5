import { describe, expect, it } from 'vitest';
import { alarmsOf } from '../../client/status.ts';
import { AlarmFactory } from '../../lib/monitoring/alarms.ts';
import { ALARM_KINDS } from '../../topology/alarm-names.ts';

/** Names the stack builds, read back by `fanout status` when the insight does not say what an alarm watches. */
describe('alarm names round trip', () => {
  const prefix = 'shop-dev';
  const endpoints = ['orders', 'orders-audit', 'audit', 'dlq'];
  const factory = new AlarmFactory(undefined as never, { prefix, action: undefined as never });
  const insight = (names: readonly string[]) => ({
    source: 'test',
    oldestAgeSeconds: new Map<string, number>(),
    alarms: names.map((name) => ({ name, state: 'OK' })),
  });

  it('gives every alarm the stack names to its own endpoint, hyphens and shared prefixes included', () => {
    const all = endpoints.flatMap((e) => ALARM_KINDS.map((kind) => factory.alarmName(e, kind)));
    for (const endpoint of endpoints) {
      const own = alarmsOf(insight(all), prefix, endpoint, [], endpoints).map((a) => a.name);
      expect(own).toEqual(ALARM_KINDS.map((kind) => factory.alarmName(endpoint, kind)));
    }
  });

  it('gives no endpoint an alarm it did not build, even one starting with its name', () => {
    const foreign = [
      'shop-dev-orders-custom',
      'shop-dev-orders-audit-x-dlq',
      'shop-dev-x-orders-dlq',
      'shop-devorders-dlq',
    ];
    for (const endpoint of endpoints) expect(alarmsOf(insight(foreign), prefix, endpoint, [], endpoints)).toEqual([]);
  });
});
