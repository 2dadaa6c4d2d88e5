import { AssemblyError, readStack } from '../assembly/index.ts';
import { templateGraph, type GraphEdge, type GraphNode, type GraphTemplate } from '../assembly/index.ts';
import { FanoutClientError } from './errors.ts';

/**
 * `fanout diagram`: the topology of a synthesized template as a mermaid flowchart. Every node and edge
 * comes from the template (see `templateGraph`); SNS subscription DLQs are drawn as one node per
 * topic, since each subscription has its own and they would double the drawing.
 */
export function mermaidDiagram(template: GraphTemplate): string {
  const graph = templateGraph(template);
  const subscriptionDlqs = new Set(graph.edges.filter((e) => e.kind === 'subscription-redrive').map((e) => e.to));
  const ids = new Map<string, string>();
  const used = new Set<string>();
  const idOf = (node: GraphNode) => {
    let id = ids.get(node.id);
    if (id) return id;
    const base = `${PREFIX[node.kind]}_${node.shortName.replace(/\.fifo$/, '').replace(/[^A-Za-z0-9]+/g, '_')}`;
    id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    ids.set(node.id, id);
    return id;
  };
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const lines = ['flowchart LR'];
  for (const node of [...graph.nodes].sort((a, b) => NODE_ORDER.indexOf(a.kind) - NODE_ORDER.indexOf(b.kind))) {
    if (subscriptionDlqs.has(node.id)) continue;
    lines.push(`  ${idOf(node)}${shape(node)}`);
  }
  const topicsWithSubscriptionDlqs = [
    ...new Set(graph.edges.filter((e) => e.kind === 'subscription-redrive').map((e) => e.from)),
  ];
  if (topicsWithSubscriptionDlqs.length > 0) {
    lines.push(
      `  sub_dlqs[["${escapeLabel(`SNS subscription DLQs ×${subscriptionDlqs.size}<br/>one per subscription`)}"]]`,
    );
  }
  for (const edge of [...graph.edges].sort((a, b) => EDGE_ORDER.indexOf(a.kind) - EDGE_ORDER.indexOf(b.kind))) {
    if (edge.kind === 'subscription-redrive') continue;
    const from = nodes.get(edge.from);
    const to = nodes.get(edge.to);
    if (from && to) lines.push(`  ${idOf(from)} ${arrow(edge)} ${idOf(to)}`);
  }
  for (const topic of topicsWithSubscriptionDlqs)
    lines.push(`  ${idOf(nodes.get(topic)!)} -. "undeliverable" .-> sub_dlqs`);
  return `${lines.join('\n')}\n`;
}

const PREFIX: Record<GraphNode['kind'], string> = {
  topic: 't',
  queue: 'q',
  'dead-letter-queue': 'dlq',
  function: 'fn',
  table: 'tb',
  alarms: 'cw',
};
/** Declaration order, which mermaid keeps within a rank: the flow from left to right. */
const NODE_ORDER: readonly GraphNode['kind'][] = ['topic', 'queue', 'function', 'table', 'dead-letter-queue', 'alarms'];
const EDGE_ORDER: readonly GraphEdge['kind'][] = [
  'subscription',
  'event-source',
  'table-access',
  'redrive',
  'alarm-action',
];

const escapeLabel = (text: string) => text.replace(/"/g, '#quot;');

function shape(node: GraphNode): string {
  const name = node.kind === 'function' ? `${node.shortName} λ` : node.shortName;
  const text = escapeLabel([name, node.details.join(', ')].filter(Boolean).join('<br/>'));
  switch (node.kind) {
    case 'topic':
      return `(("${text}"))`;
    case 'dead-letter-queue':
      return `[["${text}"]]`;
    case 'function':
      return `(["${text}"])`;
    case 'table':
      return `[("${text}")]`;
    case 'alarms':
      return `>"${text}"]`;
    default:
      return `["${text}"]`;
  }
}

function arrow(edge: GraphEdge): string {
  const dotted = edge.kind === 'redrive' || edge.kind === 'alarm-action';
  if (!edge.label) return dotted ? '-.->' : '-->';
  return dotted ? `-. "${escapeLabel(edge.label)}" .->` : `-->|"${escapeLabel(edge.label)}"|`;
}

/** The assembly or stack `fanout diagram` was pointed at cannot be read (message says which and how to fix). */
export class DiagramSourceError extends FanoutClientError {
  override readonly name = 'DiagramSourceError';
}

/** `fanout diagram`: prints the mermaid flowchart of a stack in a synthesized cloud assembly. */
export function diagramCommand(options: { readonly assembly: string; readonly stack: string }): void {
  let template: GraphTemplate;
  try {
    template = readStack(options.assembly, options.stack).template;
  } catch (error) {
    if (error instanceof AssemblyError) throw new DiagramSourceError(error.message, { cause: error });
    throw error;
  }
  process.stdout.write(mermaidDiagram(template));
}
