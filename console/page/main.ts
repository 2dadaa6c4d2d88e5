import 'uplot/dist/uPlot.min.css';
import './styles.css';
import type { ConsoleNode, StreamEvents } from '../protocol.ts';
import { AlarmsView } from './alarms-view.ts';
import { api } from './api.ts';
import { DetailPanel } from './detail-panel.ts';
import { DeadLettersView } from './dlq-view.ts';
import { clear, h, perFrame } from './dom.ts';
import { GraphView } from './graph-view.ts';
import { LogsView } from './logs-view.ts';
import { OutcomesView } from './outcomes-view.ts';
import { PublishView } from './publish-view.ts';
import { QueuesView } from './queues-view.ts';
import { Store } from './store.ts';

const TABS = ['queues', 'alarms', 'outcomes', 'logs', 'dead letters', 'publish'] as const;
type Tab = (typeof TABS)[number];

const byId = (id: string) => document.getElementById(id)!;

async function boot(): Promise<void> {
  // Subscribe before the snapshot is read, so no alarm change falls between the two.
  const stream = new EventSource('/api/stream');
  const early: [keyof StreamEvents, string][] = [];
  let store: Store | undefined;
  for (const kind of ['sample', 'alarm', 'outcomes', 'logs'] as const) {
    stream.addEventListener(kind, (event) => {
      const data = (event as MessageEvent<string>).data;
      if (store) store.apply(kind, JSON.parse(data) as StreamEvents[typeof kind]);
      else early.push([kind, data]);
    });
  }
  const state = byId('stream-state');
  stream.addEventListener('open', () => {
    state.textContent = 'live';
    state.className = 'pill live';
  });
  stream.addEventListener('error', () => {
    state.textContent = 'reconnecting…';
    state.className = 'pill';
  });
  const loaded = new Store(await api.snapshot());
  wire(loaded);
  store = loaded;
  for (const [kind, data] of early) loaded.apply(kind, JSON.parse(data) as never);
  document.body.dataset.ready = 'true';
  (window as unknown as { consoleInteractiveMs: number }).consoleInteractiveMs = performance.now();
}

function wire(store: Store): void {
  byId('stack').textContent = `stack ${store.snapshot.stackName}`;
  byId('clock').textContent =
    `time scale ×${store.snapshot.timeScale} · times of day: wall clock · ages and alarm periods: virtual (×${store.snapshot.timeScale} faster)`;
  const panes = new Map<Tab, HTMLElement>(
    TABS.map((t) => [t, h('div', { class: 'pane', 'data-pane': t, hidden: t !== 'queues' })]),
  );
  const tabButtons = TABS.map((t) =>
    h('button', { role: 'tab', 'data-tab': t, 'aria-selected': String(t === 'queues'), onclick: () => showTab(t) }, t),
  );
  clear(byId('tabs'), ...tabButtons);
  clear(byId('views'), ...panes.values());
  const showTab = (tab: Tab) => {
    for (const [t, pane] of panes) pane.hidden = t !== tab;
    for (const b of tabButtons) b.setAttribute('aria-selected', String(b.dataset.tab === tab));
    if (tab === 'outcomes') outcomes.render();
    if (tab === 'logs') logs.render();
  };

  const openDeadLetters = (id: string) => {
    showTab('dead letters');
    deadLetters.show(id);
  };
  const openLogs = (functionName: string) => {
    showTab('logs');
    logs.show(functionName);
  };
  const detail = new DetailPanel(byId('detail'), store, { deadLetters: openDeadLetters, logs: openLogs });
  const select = (node: ConsoleNode) => {
    graph.select(node.id);
    detail.show(node);
  };
  const graph = new GraphView(byId('graph'), store, select);
  const queues = new QueuesView(panes.get('queues')!, store, select);
  const alarms = new AlarmsView(panes.get('alarms')!, store);
  const outcomes = new OutcomesView(panes.get('outcomes')!, store);
  const logs = new LogsView(panes.get('logs')!, store);
  const deadLetters = new DeadLettersView(panes.get('dead letters')!, store);
  new PublishView(panes.get('publish')!, store);
  void deadLetters.peek();

  const redrawLive = perFrame(() => {
    graph.update();
    queues.update();
    detail.update();
  });
  store.on('sample', () => {
    redrawLive();
    deadLetters.sampled();
  });
  store.on('alarm', () => {
    alarms.update();
    detail.alarmsChanged();
    redrawLive();
  });
  store.on('logs', () => {
    if (!panes.get('logs')!.hidden) logs.render();
  });
  store.on('outcomes', () => {
    if (!panes.get('outcomes')!.hidden) outcomes.render();
    redrawLive();
  });
}

boot().catch((error: unknown) => {
  document.body.dataset.ready = 'failed';
  clear(byId('views'), h('p', { class: 'error' }, `The console could not load: ${(error as Error).message}`));
});
