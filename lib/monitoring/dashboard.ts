import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

/** Graphs per endpoint row; 24 grid units / 6 graphs = 4 units each. */
export const ROW_WIDGET_WIDTH = 4;
export const ROW_WIDGET_HEIGHT = 6;
/** Extra graphs of an endpoint (event source counts, quiet groups): two per row. */
export const EXTRA_WIDGET_WIDTH = 12;

/** What one endpoint's row shows, left to right. */
export interface EndpointRowMetrics {
  readonly depth: readonly cloudwatch.IMetric[];
  readonly age: readonly cloudwatch.IMetric[];
  readonly deadLetters: readonly cloudwatch.IMetric[];
  readonly processed: readonly cloudwatch.IMetric[];
  readonly errors: readonly cloudwatch.IMetric[];
  readonly duration: readonly cloudwatch.IMetric[];
}

/** The column titles of an endpoint row, in order. */
export const ROW_COLUMNS = ['depth', 'age', 'DLQ', 'processed', 'errors', 'duration'] as const;

export interface FanoutDashboardProps {
  readonly dashboardName: string;
}

/** One CloudWatch dashboard with a row of graphs per endpoint. */
export class FanoutDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: FanoutDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: undefined,
    });
  }

  /** Adds a row of extra graphs (`<endpoint> · <title>`, each half the width) below an endpoint's row. */
  addEndpointExtras(
    endpoint: string,
    graphs: readonly { readonly title: string; readonly left: readonly cloudwatch.IMetric[] }[],
  ): void {
    if (graphs.length === 0) return;
    this.dashboard.addWidgets(
      ...graphs.map(
        (graph) =>
          new cloudwatch.GraphWidget({
            title: `${endpoint} · ${graph.title}`,
            left: [...graph.left],
            width: EXTRA_WIDGET_WIDTH,
            height: ROW_WIDGET_HEIGHT,
          }),
      ),
    );
  }

  /** Adds a row titled `<endpoint> · <column>` (one `addWidgets` call = one row). */
  addEndpointRow(endpoint: string, metrics: EndpointRowMetrics): void {
    const series = [
      metrics.depth,
      metrics.age,
      metrics.deadLetters,
      metrics.processed,
      metrics.errors,
      metrics.duration,
    ];
    this.dashboard.addWidgets(
      ...series.map(
        (left, column) =>
          new cloudwatch.GraphWidget({
            title: `${endpoint} · ${ROW_COLUMNS[column]}`,
            left: [...left],
            width: ROW_WIDGET_WIDTH,
            height: ROW_WIDGET_HEIGHT,
          }),
      ),
    );
  }
}
