import { CONSUMER_ENV, CONSUMER_METRICS, type FanoutManifest, OUTPUT_KEYS } from '../contracts/index.ts';

/**
 * The messaging topology of a synthesized CloudFormation template as a graph: topics → queues →
 * functions → tables, dead-letter queues, alarms and the topics they notify. Edges follow the
 * template's own references (Ref / Fn::GetAtt), so any template built from these types is drawn; a
 * Fanout manifest output only adds labels (delivery, group key, shedding) and short names.
 */
export type GraphNodeKind = 'topic' | 'queue' | 'dead-letter-queue' | 'function' | 'table' | 'alarms';

export interface GraphNode {
  /** The resource's logical id (`alarms` for the alarms node). */
  readonly id: string;
  readonly kind: GraphNodeKind;
  /** Physical name when the template names it, else the logical id. */
  readonly name: string;
  /** The name without the stack's resource prefix (`fanout-dev-`), for labels. */
  readonly shortName: string;
  readonly fifo: boolean;
  /** Facts shown under the name: `SNS FIFO`, `exactly-once`, `batch 100`, … */
  readonly details: readonly string[];
  /** The Fanout endpoint (subscriber or work queue) the resource belongs to, when the manifest says. */
  readonly endpoint?: string;
}

export type GraphEdgeKind =
  | 'subscription'
  | 'redrive'
  | 'subscription-redrive'
  | 'event-source'
  | 'table-access'
  | 'alarm-action';

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: GraphEdgeKind;
  /** Short text on the edge: the events a subscription passes, `after 5 receives`, … */
  readonly label?: string;
  /** The subscription's filter policy, as in the template. */
  readonly filterPolicy?: unknown;
}

export interface GraphAlarm {
  readonly id: string;
  readonly name: string;
  /** Nodes whose metrics the alarm watches (queues by QueueName, functions by FunctionName). */
  readonly watches: readonly string[];
  /** Topics notified on a state change. */
  readonly actions: readonly string[];
}

export interface TopologyGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly alarms: readonly GraphAlarm[];
  /** Resource name prefix stripped from short names (`<app>-<stage>-`), when known. */
  readonly prefix: string | undefined;
}

/** The part of a CloudFormation template the graph reads. */
export interface GraphTemplate {
  readonly Resources?: Readonly<
    Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>
  >;
  readonly Outputs?: Readonly<Record<string, { readonly Value?: unknown }>>;
}

export const ALARMS_NODE_ID = 'alarms';

type Props = Record<string, unknown>;

/** The logical id a value refers to (`{Ref: X}` or `{Fn::GetAtt: [X, attr]}`), if it is a reference. */
function referenced(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { Ref?: unknown; 'Fn::GetAtt'?: unknown };
  if (typeof v.Ref === 'string') return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** Every logical id referenced anywhere inside `value`. */
function referencesWithin(value: unknown, found = new Set<string>()): Set<string> {
  const id = referenced(value);
  if (id) found.add(id);
  else if (Array.isArray(value)) for (const v of value) referencesWithin(v, found);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) referencesWithin(v, found);
  return found;
}

const asJson = (value: unknown): Props | undefined => {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as Props;
    } catch {
      return undefined;
    }
  }
  return value && typeof value === 'object' ? (value as Props) : undefined;
};

/** The manifest as any template may carry it: an older or foreign stack's may lack fields. */
type Manifest = Partial<FanoutManifest>;

function readManifest(template: GraphTemplate): Manifest | undefined {
  const value = template.Outputs?.[OUTPUT_KEYS.manifest]?.Value;
  return typeof value === 'string' ? (asJson(value) as Manifest | undefined) : undefined;
}

/** Logical id → Fanout topic or endpoint name (its queues and function), from the outputs that refer to them. */
function namesFromOutputs(template: GraphTemplate, manifest: Manifest | undefined): Map<string, string> {
  const names = new Map<string, string>();
  const byOutput = (key: string, name: string) => {
    const id = referenced(template.Outputs?.[key]?.Value);
    if (id) names.set(id, name);
  };
  for (const t of manifest?.topics ?? []) byOutput(OUTPUT_KEYS.topicArn(t.name), t.name);
  for (const e of manifest?.endpoints ?? []) {
    byOutput(OUTPUT_KEYS.queueUrl(e.name), e.name);
    byOutput(OUTPUT_KEYS.deadLetterQueueUrl(e.name), e.name);
    byOutput(OUTPUT_KEYS.functionName(e.name), e.name);
  }
  return names;
}

const NAME_PROPERTY: Record<string, string> = {
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
};

const KIND: Record<string, GraphNodeKind> = {
  'AWS::SNS::Topic': 'topic',
  'AWS::SQS::Queue': 'queue',
  'AWS::Lambda::Function': 'function',
  'AWS::DynamoDB::Table': 'table',
  'AWS::DynamoDB::GlobalTable': 'table',
};

/** Lambda's default batch size for SQS event sources; other sizes are worth a label. */
const SQS_DEFAULT_BATCH_SIZE = 10;

const isTrue = (v: unknown) => v === true || v === 'true';

/** Builds the graph of a template (see `TopologyGraph`). */
export function templateGraph(template: GraphTemplate): TopologyGraph {
  const resources = Object.entries(template.Resources ?? {});
  const manifest = readManifest(template);
  const prefix = manifest?.prefix ? `${manifest.prefix}-` : undefined;
  const endpointOf = namesFromOutputs(template, manifest);
  const labels = manifest?.labels;

  const deadLetterTargets = new Set<string>();
  const edges: GraphEdge[] = [];
  for (const [id, r] of resources) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::SQS::Queue') {
      const redrive = asJson(p.RedrivePolicy);
      const dlq = referenced(redrive?.deadLetterTargetArn);
      if (dlq) {
        deadLetterTargets.add(dlq);
        edges.push({ from: id, to: dlq, kind: 'redrive', label: `after ${String(redrive?.maxReceiveCount)} receives` });
      }
    } else if (r.Type === 'AWS::SNS::Subscription' && p.Protocol === 'sqs') {
      const topic = referenced(p.TopicArn);
      const queue = referenced(p.Endpoint);
      if (!topic || !queue) continue;
      const filter = asJson(p.FilterPolicy);
      const eventTypes = filter?.eventType;
      const passes =
        Array.isArray(eventTypes) && eventTypes.every((e) => typeof e === 'string')
          ? eventTypes.join(', ')
          : filter
            ? 'filtered'
            : 'all';
      edges.push({
        from: topic,
        to: queue,
        kind: 'subscription',
        label: isTrue(p.RawMessageDelivery) ? `${passes}, raw` : passes,
        ...(filter ? { filterPolicy: filter } : {}),
      });
      const subscriptionDlq = referenced(asJson(p.RedrivePolicy)?.deadLetterTargetArn);
      if (subscriptionDlq) {
        deadLetterTargets.add(subscriptionDlq);
        edges.push({ from: topic, to: subscriptionDlq, kind: 'subscription-redrive' });
      }
    } else if (r.Type === 'AWS::Lambda::EventSourceMapping') {
      const queue = referenced(p.EventSourceArn);
      const fn = referenced(p.FunctionName);
      if (queue && fn) edges.push({ from: queue, to: fn, kind: 'event-source' });
    } else if (r.Type === 'AWS::Lambda::Function') {
      const env = (p.Environment as { Variables?: unknown } | undefined)?.Variables;
      for (const target of referencesWithin(env)) {
        const type = template.Resources?.[target]?.Type;
        if (type === 'AWS::DynamoDB::Table' || type === 'AWS::DynamoDB::GlobalTable')
          edges.push({ from: id, to: target, kind: 'table-access' });
      }
    }
  }

  const alarms: GraphAlarm[] = [];
  const consumers = consumerFunctions(resources);
  for (const [id, r] of resources) {
    if (r.Type !== 'AWS::CloudWatch::Alarm') continue;
    const p = r.Properties ?? {};
    const dimensions = [
      p.Dimensions,
      ...((p.Metrics as Props[] | undefined) ?? []).map(
        (m) => (m.MetricStat as { Metric?: Props } | undefined)?.Metric?.Dimensions,
      ),
    ];
    const watches = [
      ...new Set([
        ...[...referencesWithin(dimensions)].filter((w) => template.Resources?.[w] !== undefined),
        ...runtimeMetricFunctions(p, consumers),
      ]),
    ];
    const actions = [...referencesWithin([p.AlarmActions, p.OKActions, p.InsufficientDataActions])].filter(
      (a) => template.Resources?.[a]?.Type === 'AWS::SNS::Topic',
    );
    alarms.push({ id, name: typeof p.AlarmName === 'string' ? p.AlarmName : id, watches, actions });
  }

  const nodes: GraphNode[] = [];
  for (const [id, r] of resources) {
    const baseKind = KIND[r.Type];
    if (!baseKind) continue;
    const p = r.Properties ?? {};
    const kind: GraphNodeKind = baseKind === 'queue' && deadLetterTargets.has(id) ? 'dead-letter-queue' : baseKind;
    const literal = p[NAME_PROPERTY[r.Type]!];
    const name = typeof literal === 'string' ? literal : id;
    const shortName = prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name;
    const fifo = isTrue(p.FifoQueue) || isTrue(p.FifoTopic);
    const endpoint = baseKind === 'topic' ? undefined : endpointOf.get(id);
    const details: string[] = [];
    if (kind === 'topic') {
      const topic = labels?.topics[endpointOf.get(id) ?? shortName];
      details.push(fifo ? 'SNS FIFO' : 'SNS standard');
      if (topic?.groupBy.length) details.push(`group = ${topic.groupBy.join(', ')}`);
      const archive = asJson(p.ArchivePolicy)?.MessageRetentionPeriod;
      if (archive !== undefined) details.push(`archive ${String(archive)} d`);
    } else if (kind === 'queue' || kind === 'dead-letter-queue') {
      details.push(fifo ? 'SQS FIFO' : 'SQS');
      const groupBy =
        endpoint && kind === 'queue' && !edges.some((e) => e.kind === 'subscription' && e.to === id)
          ? labels?.endpoints[endpoint]?.groupBy
          : undefined;
      if (groupBy?.length) details.push(`group = ${groupBy.join(', ')}`);
    } else if (kind === 'function') {
      const e = endpoint ? labels?.endpoints[endpoint] : undefined;
      if (e) details.push(e.delivery);
      const mapping = resources.find(
        ([, m]) => m.Type === 'AWS::Lambda::EventSourceMapping' && referenced(m.Properties?.FunctionName) === id,
      )?.[1].Properties;
      if (mapping?.BatchSize !== undefined && Number(mapping.BatchSize) !== SQS_DEFAULT_BATCH_SIZE)
        details.push(`batch ${String(mapping.BatchSize)}`);
      if (mapping?.MaximumBatchingWindowInSeconds)
        details.push(`window ${String(mapping.MaximumBatchingWindowInSeconds)} s`);
      const concurrency =
        (mapping?.ScalingConfig as { MaximumConcurrency?: unknown } | undefined)?.MaximumConcurrency ??
        p.ReservedConcurrentExecutions;
      if (concurrency !== undefined) details.push(`max concurrency ${String(concurrency)}`);
      if (e?.shedsAbove != null) details.push(`sheds > ${e.shedsAbove}`);
      if (e?.requestReply) details.push('request/reply');
    } else if (kind === 'table') {
      const keys = (p.KeySchema as { AttributeName?: string }[] | undefined)
        ?.map((k) => k.AttributeName)
        .filter(Boolean);
      if (keys?.length) details.push(`key ${keys.join(' + ')}`);
    }
    nodes.push({ id, kind, name, shortName, fifo, details, ...(endpoint ? { endpoint } : {}) });
  }
  if (alarms.length > 0) {
    nodes.push({
      id: ALARMS_NODE_ID,
      kind: 'alarms',
      name: 'CloudWatch alarms',
      shortName: 'CloudWatch alarms',
      fifo: false,
      details: [`${alarms.length} alarms`],
    });
    for (const topic of new Set(alarms.flatMap((a) => a.actions)))
      edges.push({ from: ALARMS_NODE_ID, to: topic, kind: 'alarm-action' });
  }
  return { nodes, edges, alarms, prefix };
}

/** Functions by the endpoint name the consumer runtime reads from its environment (`FANOUT_CONSUMER`). */
function consumerFunctions(resources: readonly (readonly [string, { Type?: string; Properties?: Props }])[]) {
  const byName = new Map<string, string>();
  for (const [id, r] of resources) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const env = (r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
    const name = env?.[CONSUMER_ENV.name];
    if (typeof name === 'string') byName.set(name, id);
  }
  return byName;
}

/**
 * An alarm on the consumer runtime's own metrics (namespace `Fanout`, dimension `Consumer` = the
 * endpoint's name, a literal) watches the function that emits them: the one whose environment names
 * that endpoint.
 */
function runtimeMetricFunctions(p: Props, consumers: ReadonlyMap<string, string>): string[] {
  if (p.Namespace !== CONSUMER_METRICS.namespace || !Array.isArray(p.Dimensions)) return [];
  return (p.Dimensions as { Name?: unknown; Value?: unknown }[]).flatMap((d) => {
    const fn =
      d.Name === CONSUMER_METRICS.dimension && typeof d.Value === 'string' ? consumers.get(d.Value) : undefined;
    return fn ? [fn] : [];
  });
}
