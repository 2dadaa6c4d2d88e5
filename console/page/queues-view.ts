import type { ConsoleNode } from '../protocol.ts';
import { DEPTH_SERIES, QueueChart } from './chart.ts';
import { clear, h, virtualAge, wallEquivalent } from './dom.ts';
import type { Store } from './store.ts';

interface Row {
  readonly node: ConsoleNode;
  readonly cells: Record<'visible' | 'inFlight' | 'delayed' | 'oldest' | 'dlq', HTMLTableCellElement>;
  readonly chart: QueueChart;
}

/** Every queue with its gauges (what the alarm evaluator samples), its DLQ depth and a sparkline. */
export class QueuesView {
  readonly #rows: Row[] = [];

  constructor(
    root: HTMLElement,
    private readonly store: Store,
    onSelect: (node: ConsoleNode) => void,
  ) {
    const body = h('tbody');
    // Each queue, then its DLQ; DLQs nobody redrives to (SNS subscription DLQs) last.
    const dlqs = store.nodes.filter((n) => n.kind === 'dead-letter-queue');
    const queues = store.nodes
      .filter((n) => n.kind === 'queue')
      .flatMap((q) => [q, ...(store.deadLetterQueueOf(q.id) ? [store.deadLetterQueueOf(q.id)!] : [])]);
    queues.push(...dlqs.filter((d) => !queues.includes(d)));
    for (const node of queues) {
      const cell = () => h('td', { class: 'num' });
      const cells = { visible: cell(), inFlight: cell(), delayed: cell(), oldest: cell(), dlq: cell() };
      const spark = h('td', { class: 'spark' });
      const tr = h(
        'tr',
        { 'data-queue': node.queueName ?? node.id, class: node.kind },
        h(
          'td',
          {},
          h('button', { class: 'link', onclick: () => onSelect(node) }, node.shortName),
          node.kind === 'dead-letter-queue' ? h('span', { class: 'tag' }, 'DLQ') : null,
        ),
        cells.visible,
        cells.inFlight,
        cells.delayed,
        cells.oldest,
        cells.dlq,
        spark,
      );
      body.append(tr);
      this.#rows.push({ node, cells, chart: new QueueChart(spark, DEPTH_SERIES, { width: 180, height: 28 }, true) });
    }
    clear(
      root,
      h(
        'table',
        { class: 'grid', 'data-testid': 'queues-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['queue', 'visible', 'in flight', 'delayed', 'oldest (virtual)', 'DLQ', 'last minutes (wall clock)'].map(
              (t) => h('th', {}, t),
            ),
          ),
        ),
        body,
      ),
    );
    this.update();
  }

  update(): void {
    for (const row of this.#rows) {
      const series = row.node.queueName ? (this.store.queues.get(row.node.queueName) ?? []) : [];
      const s = series[series.length - 1];
      row.cells.visible.textContent = s ? String(s.visible) : '–';
      row.cells.inFlight.textContent = s ? String(s.notVisible) : '–';
      row.cells.delayed.textContent = s ? String(s.delayed) : '–';
      row.cells.oldest.textContent = s ? virtualAge(s.ageOfOldestSeconds) : '–';
      row.cells.oldest.title = s ? wallEquivalent(s.ageOfOldestSeconds, this.store.snapshot.timeScale) : '';
      const dlq = this.store.deadLetterQueueOf(row.node.id);
      const d = this.store.latest(dlq?.queueName);
      row.cells.dlq.textContent = dlq ? (d ? String(d.visible + d.notVisible + d.delayed) : '–') : '';
      row.cells.dlq.classList.toggle('bad', !!d && d.visible + d.notVisible + d.delayed > 0);
      row.chart.set(series);
    }
  }
}
