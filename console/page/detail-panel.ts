import type { ConsoleNode } from '../protocol.ts';
import { alarmCard, openedAlarms } from './alarms-view.ts';
import { api } from './api.ts';
import { AGE_SERIES, DEPTH_SERIES, QueueChart } from './chart.ts';
import { clear, h, virtualAge } from './dom.ts';
import type { Store } from './store.ts';

/** The selected node's detail: live numbers, a chart for queues, subscriptions and filter policies for topics, alarms. */
export class DetailPanel {
  #node: ConsoleNode | undefined;
  #charts: QueueChart[] = [];
  #numbers: HTMLElement | undefined;
  #alarms: HTMLElement | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly store: Store,
    private readonly open: {
      readonly deadLetters: (id: string) => void;
      readonly logs: (functionName: string) => void;
    },
  ) {
    clear(root, h('p', { class: 'muted' }, 'Click a node for its detail.'));
  }

  show(node: ConsoleNode): void {
    for (const chart of this.#charts) chart.destroy();
    this.#charts = [];
    this.#node = node;
    this.#numbers = h('div', { class: 'numbers', 'data-testid': 'detail-numbers' });
    const body: (Node | null)[] = [
      h('h2', { 'data-testid': 'detail-title' }, node.shortName),
      h('p', { class: 'muted' }, node.name, node.details.length ? ` · ${node.details.join(' · ')}` : ''),
      this.#numbers,
    ];
    if (node.kind === 'queue' || node.kind === 'dead-letter-queue') {
      const depth = h('div', { class: 'chart' });
      const age = h('div', { class: 'chart' });
      body.push(
        depth,
        age,
        h(
          'p',
          { class: 'muted', 'data-testid': 'chart-clocks' },
          'Across: wall clock. Age of oldest: virtual seconds.',
        ),
      );
      this.#charts.push(
        new QueueChart(depth, DEPTH_SERIES, { width: 330, height: 140 }, false),
        new QueueChart(age, AGE_SERIES, { width: 330, height: 110 }, false),
      );
      if (node.kind === 'dead-letter-queue')
        body.push(
          h(
            'button',
            { onclick: () => this.open.deadLetters(node.id), 'data-testid': 'open-dlq' },
            'Open in the DLQ browser',
          ),
        );
    }
    if (node.kind === 'topic') {
      const subscriptions = this.store.snapshot.graph.edges.filter(
        (e) => e.from === node.id && e.kind === 'subscription',
      );
      body.push(
        h('h3', {}, 'Subscriptions'),
        h(
          'ul',
          { class: 'subscriptions' },
          ...subscriptions.map((e) =>
            h(
              'li',
              {},
              h('strong', {}, this.store.node(e.to)?.shortName ?? e.to),
              ` ${e.label ?? ''}`,
              e.filterPolicy
                ? h('pre', {}, JSON.stringify(e.filterPolicy, null, 2))
                : h('div', { class: 'muted' }, 'no filter policy'),
            ),
          ),
        ),
      );
    }
    if (node.kind === 'function' && node.functionName) {
      const functionName = node.functionName;
      body.push(
        h('button', { onclick: () => this.open.logs(functionName), 'data-testid': 'open-logs' }, 'Show its log lines'),
      );
    }
    if (node.kind === 'table' && node.tableName) {
      const count = h('span', { 'data-testid': 'table-count' });
      const tableName = node.tableName;
      const button = h(
        'button',
        {
          onclick: () =>
            void api.countItems(tableName).then(
              (r) => (count.textContent = `${r.count} item(s)`),
              (e: Error) => (count.textContent = e.message),
            ),
        },
        'Count items',
      );
      body.push(h('p', {}, button, ' ', count));
    }
    this.#alarms = h('div', { class: 'alarms', 'data-testid': 'detail-alarms' });
    body.push(h('h3', {}, node.kind === 'alarms' ? 'In ALARM' : 'Alarms'), this.#alarms);
    clear(this.root, ...body);
    this.update();
    this.alarmsChanged();
  }

  /** Redraws the alarms of the selected node (their states and histories). */
  alarmsChanged(): void {
    const node = this.#node;
    if (!node || !this.#alarms) return;
    const alarms =
      node.kind === 'alarms'
        ? [...this.store.alarms.values()].filter((a) => a.state === 'ALARM')
        : this.store.alarmsWatching(node.id);
    const opened = openedAlarms(this.#alarms);
    clear(
      this.#alarms,
      ...(alarms.length
        ? alarms.map((a) => alarmCard(a, this.store.snapshot.timeScale, opened.has(a.name)))
        : [h('p', { class: 'muted' }, 'none')]),
    );
  }

  update(): void {
    const node = this.#node;
    if (!node || !this.#numbers) return;
    const series = node.queueName ? (this.store.queues.get(node.queueName) ?? []) : [];
    for (const chart of this.#charts) chart.set(series);
    const s = series[series.length - 1];
    const facts: [string, string][] = [];
    if (s)
      facts.push(
        ['visible', String(s.visible)],
        ['in flight', String(s.notVisible)],
        ['delayed', String(s.delayed)],
        ['age of oldest', virtualAge(s.ageOfOldestSeconds)],
      );
    const dlq = this.store.deadLetterQueueOf(node.id);
    const d = this.store.latest(dlq?.queueName);
    if (dlq && d) facts.push(['DLQ', String(d.visible + d.notVisible + d.delayed)]);
    const f = node.functionName ? this.store.functions[node.functionName] : undefined;
    if (f)
      facts.push(
        ['invocations', String(f.invocations)],
        ['errors', String(f.errors)],
        ['throttles', String(f.throttles)],
        ['timeouts', String(f.timeouts)],
        ['crashes', String(f.crashes)],
        ['mean duration', `${f.averageDurationMs.toFixed(1)} ms`],
      );
    if (node.kind === 'function' && node.endpoint) {
      const counts = new Map<string, number>();
      for (const o of this.store.outcomes)
        if (o.consumer === node.endpoint) counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1);
      for (const [k, n] of counts) facts.push([k, String(n)]);
    }
    clear(
      this.#numbers,
      ...facts.map(([k, v]) =>
        h('div', { class: 'fact', 'data-fact': k }, h('span', { class: 'muted' }, k), h('strong', {}, v)),
      ),
    );
  }
}
