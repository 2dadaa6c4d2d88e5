import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, expect, it } from 'vitest';
import { EXPECTED_ENDPOINTS, PREFIX } from './support/expected.ts';
import { synthesize } from './support/synth.ts';
import { joinToString, ofType } from './support/template-helpers.ts';

interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  properties: { title: string; metrics: unknown[][] };
}

let widgets: Widget[];
let dashboardName: string;
beforeAll(() => {
  const template: Template = synthesize('dev').template;
  const dashboards = ofType(template, 'AWS::CloudWatch::Dashboard');
  expect(dashboards).toHaveLength(1);
  dashboardName = dashboards[0]![1].Properties.DashboardName;
  widgets = JSON.parse(joinToString(dashboards[0]![1].Properties.DashboardBody)).widgets;
});

const COLUMNS = ['depth', 'age', 'DLQ', 'processed', 'errors', 'duration'];

it('is named after the stack prefix', () => {
  expect(dashboardName).toBe(PREFIX);
});

it('has per endpoint, in topology order, a full-width row of the six columns, then its event source (and fair queue) row', () => {
  const rows = [...new Set(widgets.map((w) => w.y))].sort((a, b) => a - b);
  expect(rows).toHaveLength(EXPECTED_ENDPOINTS.length * 2);
  EXPECTED_ENDPOINTS.forEach((expected, index) => {
    const [main, extras] = [rows[2 * index]!, rows[2 * index + 1]!].map((y) =>
      widgets.filter((w) => w.y === y).sort((a, b) => a.x - b.x),
    );
    const endpoint = expected.name;
    expect(main!.map((w) => w.properties.title)).toEqual(COLUMNS.map((c) => `${endpoint} · ${c}`));
    expect(main!.reduce((sum, w) => sum + w.width, 0)).toBe(24);
    expect(extras!.map((w) => w.properties.title)).toEqual([
      `${endpoint} · event source`,
      ...(expected.fair ? [`${endpoint} · quiet groups`] : []),
    ]);
  });
});

it('graphs the event source counts of each mapping (MetricsConfig EventCount) and the quiet groups of a fair queue', () => {
  const metrics = (title: string) => widgets.find((w) => w.properties.title === title)!.properties.metrics;
  const source = metrics('analytics · event source');
  expect(source.map((m) => `${m[0]}/${m[1]}`)).toEqual(
    [
      'PolledEventCount',
      'FilteredOutEventCount',
      'InvokedEventCount',
      'FailedInvokeEventCount',
      'DeletedEventCount',
    ].map((n) => `AWS/Lambda/${n}`),
  );
  expect(source[0]![2]).toBe('EventSourceMappingUUID');
  expect(metrics('jobs · quiet groups').map((m) => m[1])).toEqual([
    'ApproximateNumberOfNoisyGroups',
    'ApproximateNumberOfMessagesVisibleInQuietGroups',
    'ApproximateNumberOfMessagesNotVisibleInQuietGroups',
    'ApproximateNumberOfMessagesDelayedInQuietGroups',
    'ApproximateAgeOfOldestMessageInQuietGroups',
  ]);
});

it('graphs the right metrics in each column', () => {
  const metricNames = (title: string) =>
    widgets.find((w) => w.properties.title === title)!.properties.metrics.map((m) => `${m[0]}/${m[1]}`);
  expect(metricNames('inventory · depth')).toEqual(['AWS/SQS/ApproximateNumberOfMessagesVisible']);
  expect(metricNames('inventory · age')).toEqual(['AWS/SQS/ApproximateAgeOfOldestMessage']);
  const runtimeLost = ['Fanout/DeadLettered', 'Fanout/Dropped', 'Fanout/Shed'];
  expect(metricNames('inventory · DLQ')).toEqual([
    'AWS/SQS/ApproximateNumberOfMessagesVisible',
    'AWS/SQS/ApproximateNumberOfMessagesVisible',
    ...runtimeLost,
  ]);
  expect(metricNames('analytics · DLQ')).toEqual(['AWS/SQS/ApproximateNumberOfMessagesVisible', ...runtimeLost]);
  expect(metricNames('jobs · DLQ')).toEqual(['AWS/SQS/ApproximateNumberOfMessagesVisible', ...runtimeLost]);
  expect(metricNames('inventory · processed')).toEqual([
    'AWS/SQS/NumberOfMessagesDeleted',
    'AWS/Lambda/Invocations',
    'Fanout/Processed',
    'Fanout/Duplicate',
  ]);
  expect(metricNames('inventory · errors')).toEqual([
    'AWS/Lambda/Errors',
    'AWS/Lambda/Throttles',
    'Fanout/Failed',
    'Fanout/Retried',
  ]);
  expect(metricNames('inventory · duration')).toEqual([
    'AWS/Lambda/Duration',
    'AWS/Lambda/Duration',
    'Fanout/EndToEndLagMs',
  ]);
});

it("graphs the runtime's own metrics per consumer (namespace Fanout, dimension Consumer = endpoint name)", () => {
  const processed = widgets.find((w) => w.properties.title === 'ledger · processed')!.properties.metrics;
  expect(processed[2]!.slice(0, 4)).toEqual(['Fanout', 'Processed', 'Consumer', 'ledger']);
});
