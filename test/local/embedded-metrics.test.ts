import { describe, expect, it } from 'vitest';
import { ScaledClock } from '../../local/alarms/clock.ts';
import { recordEmbeddedMetrics } from '../../local/alarms/embedded-metrics.ts';
import { MetricStore } from '../../local/alarms/metric-store.ts';

const emf = (doc: Record<string, unknown>) =>
  JSON.stringify({
    _aws: {
      Timestamp: 0,
      CloudWatchMetrics: [
        {
          Namespace: 'App',
          Dimensions: [['Service'], ['Service', 'Stage']],
          Metrics: [{ Name: 'Failed' }, { Name: 'Lag' }],
        },
      ],
    },
    ...doc,
  });

describe('Embedded Metric Format lines become local metrics', () => {
  it('records every value of every metric once per dimension set', () => {
    const store = new MetricStore(new ScaledClock(1));
    const recorded = recordEmbeddedMetrics(store, emf({ Service: 'orders', Stage: 'dev', Failed: 3, Lag: [5, 7] }));
    expect(recorded).toBe(6);
    expect(store.total('App', 'Failed', { Service: 'orders' })).toBe(3);
    expect(store.total('App', 'Failed', { Service: 'orders', Stage: 'dev' })).toBe(3);
    expect(store.total('App', 'Lag', { Service: 'orders' })).toBe(12);
  });

  it('skips a dimension set naming a missing member, and lines that are not EMF', () => {
    const store = new MetricStore(new ScaledClock(1));
    expect(recordEmbeddedMetrics(store, emf({ Service: 'orders', Failed: 2 }))).toBe(1);
    expect(store.total('App', 'Failed', { Service: 'orders' })).toBe(2);
    expect(recordEmbeddedMetrics(store, '{"message":"record outcome","_aws":')).toBe(0);
    expect(recordEmbeddedMetrics(store, 'plain text')).toBe(0);
    expect(recordEmbeddedMetrics(store, JSON.stringify({ _aws: { CloudWatchMetrics: 'no' } }))).toBe(0);
  });
});
