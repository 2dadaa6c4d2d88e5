import dagre from '@dagrejs/dagre';
import type { ConsoleNode } from '../protocol.ts';
import { clear, svg, virtualAge } from './dom.ts';
import { GraphZoom } from './graph-zoom.ts';
import type { Store } from './store.ts';

const NODE_WIDTH = 214;
const NODE_HEIGHT = 60;

const KIND_LABEL: Record<ConsoleNode['kind'], string> = {
  topic: 'SNS topic',
  queue: 'SQS queue',
  'dead-letter-queue': 'DLQ',
  function: 'Lambda',
  table: 'DynamoDB',
  alarms: 'CloudWatch',
};

/** The topology drawn with dagre (left to right), fitted to its pane, each node with its live numbers; a click selects it. */
export class GraphView {
  readonly #live = new Map<string, SVGTextElement>();
  readonly #boxes = new Map<string, SVGGElement>();
  #selected: string | undefined;
  /** Fit-to-view and zoom of the drawing. */
  zoom!: GraphZoom;

  constructor(
    private readonly root: HTMLElement,
    private readonly store: Store,
    private readonly onSelect: (node: ConsoleNode) => void,
  ) {
    this.#draw();
    this.update();
  }

  select(id: string): void {
    if (this.#selected) this.#boxes.get(this.#selected)?.classList.remove('selected');
    this.#selected = id;
    this.#boxes.get(id)?.classList.add('selected');
  }

  #draw(): void {
    const { nodes, edges } = this.store.snapshot.graph;
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: 'LR', nodesep: 12, ranksep: 70, marginx: 8, marginy: 8 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
    for (const [i, e] of edges.entries()) {
      const label = e.label ? { label: e.label, width: Math.min(160, e.label.length * 6), height: 12 } : {};
      g.setEdge(e.from, e.to, label, String(i));
    }
    dagre.layout(g);
    const { width = 0, height = 0 } = g.graph();
    const root = svg('svg', { role: 'img' });
    root.append(
      svg(
        'defs',
        {},
        svg(
          'marker',
          {
            id: 'arrow',
            viewBox: '0 0 10 10',
            refX: 9,
            refY: 5,
            markerWidth: 6,
            markerHeight: 6,
            orient: 'auto-start-reverse',
          },
          svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }),
        ),
      ),
    );
    edges.forEach((e, i) => {
      const layout = g.edge(e.from, e.to, String(i)) as
        | { points: { x: number; y: number }[]; x?: number; y?: number }
        | undefined;
      if (!layout) return;
      const d = layout.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
      const path = svg('path', { d, class: `edge ${e.kind}`, 'marker-end': 'url(#arrow)' });
      if (e.filterPolicy) path.append(svg('title', {}, `filter policy: ${JSON.stringify(e.filterPolicy)}`));
      const group = svg('g', { 'data-edge': `${e.from}->${e.to}` }, path);
      if (e.label && layout.x !== undefined && layout.y !== undefined) {
        const label = svg(
          'text',
          { x: layout.x, y: layout.y + 4, class: 'edge-label', 'text-anchor': 'middle' },
          e.label,
        );
        if (e.filterPolicy) label.append(svg('title', {}, `filter policy: ${JSON.stringify(e.filterPolicy)}`));
        group.append(label);
      }
      root.append(group);
    });
    for (const n of nodes) {
      const { x, y } = g.node(n.id) as { x: number; y: number };
      const live = svg('text', { x: 8, y: 53, class: 'live', 'data-testid': `live-${n.id}` });
      const box = svg(
        'g',
        {
          transform: `translate(${x - NODE_WIDTH / 2},${y - NODE_HEIGHT / 2})`,
          class: `node ${n.kind}`,
          'data-node': n.id,
          'data-kind': n.kind,
          'data-name': n.shortName,
          tabindex: 0,
          role: 'button',
        },
        svg('rect', {
          width: NODE_WIDTH,
          height: NODE_HEIGHT,
          rx: n.kind === 'function' ? 18 : n.kind === 'topic' ? 28 : 4,
        }),
        svg('text', { x: 8, y: 14, class: 'kind' }, KIND_LABEL[n.kind]),
        svg('text', { x: 8, y: 29, class: 'name' }, n.shortName),
        svg('text', { x: 8, y: 41, class: 'details' }, n.details.join(' · ')),
        live,
        svg('title', {}, `${n.name}${n.details.length ? `\n${n.details.join('\n')}` : ''}`),
      );
      box.addEventListener('click', () => this.onSelect(n));
      box.addEventListener('keydown', (event) => {
        if ((event as KeyboardEvent).key === 'Enter') this.onSelect(n);
      });
      this.#live.set(n.id, live);
      this.#boxes.set(n.id, box);
      root.append(box);
    }
    this.zoom = new GraphZoom(root, { width, height });
    clear(this.root, root, this.zoom.controls);
    this.zoom.fill(this.root);
  }

  /** Refreshes every node's numbers and alarm colour from the store. */
  update(): void {
    for (const n of this.store.nodes) {
      const text = this.#live.get(n.id);
      const box = this.#boxes.get(n.id);
      if (!text || !box) continue;
      text.textContent = this.#liveText(n);
      const alarmed =
        n.kind === 'alarms'
          ? [...this.store.alarms.values()].some((a) => a.state === 'ALARM')
          : this.store.alarmsWatching(n.id).some((a) => a.state === 'ALARM');
      box.classList.toggle('alarm', alarmed);
      const s = this.store.latest(n.queueName);
      box.classList.toggle('busy', n.kind !== 'dead-letter-queue' && !!s && s.visible + s.notVisible > 0);
      box.classList.toggle(
        'holding',
        n.kind === 'dead-letter-queue' && !!s && s.visible + s.notVisible + s.delayed > 0,
      );
    }
  }

  #liveText(n: ConsoleNode): string {
    switch (n.kind) {
      case 'queue': {
        const s = this.store.latest(n.queueName);
        if (!s) return '–';
        return `${s.visible} visible · ${s.notVisible} in flight${s.delayed ? ` · ${s.delayed} delayed` : ''}${s.ageOfOldestSeconds ? ` · oldest ${virtualAge(s.ageOfOldestSeconds)}` : ''}`;
      }
      case 'dead-letter-queue': {
        const s = this.store.latest(n.queueName);
        return s ? `${s.visible + s.notVisible + s.delayed} dead-lettered` : '–';
      }
      case 'function': {
        const f = n.functionName ? this.store.functions[n.functionName] : undefined;
        return f ? `${f.invocations} invocations · ${f.errors} errors` : '–';
      }
      case 'topic':
        return `${this.store.snapshot.graph.edges.filter((e) => e.from === n.id && e.kind === 'subscription').length} subscriptions`;
      case 'alarms': {
        const states = [...this.store.alarms.values()].map((a) => a.state);
        const count = (state: string) => states.filter((s) => s === state).length;
        return `${count('ALARM')} ALARM · ${count('OK')} OK · ${count('INSUFFICIENT_DATA')} no data`;
      }
      default:
        return '';
    }
  }
}
