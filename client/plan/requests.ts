import type { ResolvedTopology } from '../../topology/index.ts';
import { LIMITS } from '../../topology/internal.ts';
import { PUBLISHER_DEFAULTS } from '../limits.ts';
import { type EndpointModel, hotKeyShare, type ModelAssumptions } from './endpoint-model.ts';
import { BILLED_CHUNK_BYTES } from './limits.ts';
import type { MeasuredRequests, PerMessage } from './measured.ts';
import type { TemplateFacts } from './template.ts';
import type { DestinationTraffic } from './traffic.ts';

/** How a line is priced (see `unitPrice`). */
export type Billing =
  | 'snsStandardPublish'
  | 'snsFifoPublish'
  | 'snsFifoPayloadGb'
  | 'snsFifoDelivery'
  | 'snsFifoDeliveryGb'
  | 'sqsStandard'
  | 'sqsFifo'
  | 'lambdaRequests'
  | 'lambdaGbSecondArm64'
  | 'lambdaGbSecondX86'
  | 'dynamodbWrite'
  | 'dynamodbRead'
  | 'kms'
  | 's3Put'
  | 's3Get'
  | 's3StorageGb'
  | 'free';

/** One billed quantity per second of one topic or endpoint. */
export interface RequestLine {
  /** Topic, work queue or endpoint path. */
  readonly owner: string;
  readonly service: 'SNS' | 'SQS' | 'Lambda' | 'DynamoDB' | 'KMS' | 'S3';
  readonly api: string;
  /** Per second (GB for payload lines, GB-seconds for duration; GB held for storage). */
  readonly perSecond: number;
  readonly billing: Billing;
  readonly source: 'measured' | 'modelled';
  /** DynamoDB lines: the table (its topology name). */
  readonly table?: string;
}

const SEND_CALLS = ['SNS:PublishBatch', 'SNS:Publish', 'SQS:SendMessageBatch', 'SQS:SendMessage'];

/** Rate-weighted calls per message of `destination`'s events, from per-event-type rows. */
function weighted(
  rows: Readonly<Record<string, PerMessage>> | undefined,
  events: DestinationTraffic['events'],
  keep: (key: string) => boolean,
): { perMessage: Record<string, number>; measured: boolean } {
  const total = events.reduce((s, e) => s + e.rate, 0);
  const out: Record<string, number> = {};
  let measured = rows !== undefined && total > 0;
  for (const e of events) {
    const row = rows?.[e.eventType];
    if (!row) {
      measured = false;
      continue;
    }
    for (const [k, v] of Object.entries(row)) if (keep(k)) out[k] = (out[k] ?? 0) + (v * e.rate) / (total || 1);
  }
  return { perMessage: out, measured };
}

const claimChecked = (bytes: number, maxMessageBytes: number) => bytes > maxMessageBytes;
/** Bytes a message carries: the payload, or the claim-check pointer (well under a chunk). */
const carriedBytes = (bytes: number, maxMessageBytes: number) => (claimChecked(bytes, maxMessageBytes) ? 512 : bytes);
const chunks = (bytes: number) => Math.max(1, Math.ceil(bytes / BILLED_CHUNK_BYTES));

/** The publisher's requests to one destination: batched as measured, no fuller than its linger lets it at the rate. */
export function destinationLines(
  d: DestinationTraffic,
  facts: TemplateFacts,
  topology: ResolvedTopology,
  measured: MeasuredRequests | undefined,
  a: ModelAssumptions,
): RequestLine[] {
  const lines: RequestLine[] = [];
  const sent = weighted(measured?.publisher, d.events, (k) => SEND_CALLS.includes(k));
  const measuredCalls = Object.values(sent.perMessage).reduce((s, v) => s + v, 0) || 1 / LIMITS.batchEntriesMax;
  const fill = Math.min(LIMITS.batchEntriesMax, Math.max(1, (d.rate * PUBLISHER_DEFAULTS.lingerMs) / 1000));
  const calls = Math.max(measuredCalls, 1 / fill);
  const bytes = carriedBytes(a.payloadBytes, d.maxMessageSizeBytes);
  const billed = d.rate * Math.max(calls, bytes / BILLED_CHUNK_BYTES);
  const source = sent.measured ? 'measured' : 'modelled';
  if (d.kind === 'topic') {
    const topic = facts.topics.get(topology.topics.find((t) => t.name === d.name)!.physicalName);
    const fifo = topic?.fifo ?? d.fifo;
    lines.push({
      owner: d.name,
      service: 'SNS',
      api: 'PublishBatch',
      perSecond: billed,
      billing: fifo ? 'snsFifoPublish' : 'snsStandardPublish',
      source,
    });
    if (fifo)
      lines.push({
        owner: d.name,
        service: 'SNS',
        api: 'publish payload (GB)',
        perSecond: (d.rate * bytes) / 1e9,
        billing: 'snsFifoPayloadGb',
        source: 'modelled',
      });
    // SNS asks KMS for a data key (and decrypts it) once per reuse period of the topic's key.
    const kms = topic?.encrypted ? 2 / LIMITS.kmsDataKeyReuseDefaultSeconds : 0;
    if (kms)
      lines.push({
        owner: d.name,
        service: 'KMS',
        api: 'GenerateDataKey (topic)',
        perSecond: kms,
        billing: 'kms',
        source: 'modelled',
      });
  } else {
    lines.push({
      owner: d.name,
      service: 'SQS',
      api: 'SendMessageBatch',
      perSecond: billed,
      billing: d.fifo ? 'sqsFifo' : 'sqsStandard',
      source,
    });
  }
  if (claimChecked(a.payloadBytes, d.maxMessageSizeBytes)) {
    const put = measured?.claimCheck.publisher['S3:PutObject'];
    lines.push({
      owner: d.name,
      service: 'S3',
      api: 'PutObject (claim-check)',
      perSecond: d.rate * (put ?? 1),
      billing: 's3Put',
      source: put === undefined ? 'modelled' : 'measured',
    });
    lines.push({
      owner: d.name,
      service: 'S3',
      api: `storage (GB held ${topology.payloadRetentionDays} days)`,
      perSecond: (d.rate * a.payloadBytes * topology.payloadRetentionDays * 86_400) / 1e9,
      billing: 's3StorageGb',
      source: 'modelled',
    });
  }
  return lines;
}

/** What one endpoint is billed per second: delivery, the event source, Lambda, the runtime's calls, KMS. */
export function endpointLines(
  m: EndpointModel,
  measured: MeasuredRequests | undefined,
  a: ModelAssumptions,
): RequestLine[] {
  const e = m.traffic.endpoint;
  const owner = e.path;
  const rate = m.traffic.rate;
  const sqs: Billing = m.queue.fifo ? 'sqsFifo' : 'sqsStandard';
  const bytes = carriedBytes(a.payloadBytes, m.traffic.destination.maxMessageSizeBytes);
  const lines: RequestLine[] = [];
  const push = (l: Omit<RequestLine, 'owner'>) => lines.push({ owner, ...l });
  if (e.kind === 'subscription') {
    push({
      service: 'SQS',
      api: 'SendMessage (SNS delivery)',
      perSecond: rate * chunks(bytes),
      billing: sqs,
      source: 'modelled',
    });
    if (m.traffic.destination.fifo) {
      push({ service: 'SNS', api: 'FIFO delivery', perSecond: rate, billing: 'snsFifoDelivery', source: 'modelled' });
      push({
        service: 'SNS',
        api: 'FIFO delivery payload (GB)',
        perSecond: (rate * bytes) / 1e9,
        billing: 'snsFifoDeliveryGb',
        source: 'modelled',
      });
    }
  }
  const perReceiveBytes = Math.min(m.recordsPerInvocation, LIMITS.batchEntriesMax) * bytes;
  push({
    service: 'SQS',
    api: 'ReceiveMessage (event source)',
    perSecond: m.receivesPerSecond * chunks(perReceiveBytes),
    billing: sqs,
    source: 'modelled',
  });
  push({
    service: 'SQS',
    api: 'ReceiveMessage, empty',
    perSecond: m.emptyReceivesPerSecond,
    billing: sqs,
    source: 'modelled',
  });
  push({
    service: 'SQS',
    api: 'DeleteMessageBatch (event source)',
    perSecond: m.deleteCallsPerSecond,
    billing: sqs,
    source: 'modelled',
  });
  push({
    service: 'Lambda',
    api: 'Invoke',
    perSecond: m.invocationsPerSecond,
    billing: 'lambdaRequests',
    source: 'modelled',
  });
  push({
    service: 'Lambda',
    api: `duration (GB-s, ${m.fn.memoryMb} MB ${m.fn.arm64 ? 'arm64' : 'x86'})`,
    perSecond: m.invocationsPerSecond * (a.invocationMs / 1000) * (m.fn.memoryMb / 1024),
    billing: m.fn.arm64 ? 'lambdaGbSecondArm64' : 'lambdaGbSecondX86',
    source: 'modelled',
  });
  const runtime = weighted(measured?.endpoints[e.name]?.byEventType, m.traffic.events, () => true);
  const fallback = e.delivery === 'exactly-once' ? 4 : e.delivery === 'at-most-once' ? 2 : 1;
  const perTable = Object.entries(runtime.perMessage).filter(([k]) => /^(write|read):/.test(k));
  if (!runtime.measured && rate > 0)
    push({
      service: 'DynamoDB',
      api: 'write units',
      perSecond: rate * fallback,
      billing: 'dynamodbWrite',
      source: 'modelled',
    });
  for (const [k, v] of perTable) {
    const [kind, table] = k.split(':') as ['write' | 'read', string];
    push({
      service: 'DynamoDB',
      api: `${kind} units (${table})`,
      perSecond: rate * v,
      billing: kind === 'write' ? 'dynamodbWrite' : 'dynamodbRead',
      source: 'measured',
      table,
    });
  }
  for (const [k, v] of Object.entries(runtime.perMessage)) {
    if (!k.startsWith('SQS:')) continue;
    push({
      service: 'SQS',
      api: `${k.slice(4)} (runtime)`,
      perSecond: rate * v,
      billing: 'sqsStandard',
      source: 'measured',
    });
  }
  if (claimChecked(a.payloadBytes, m.traffic.destination.maxMessageSizeBytes)) {
    const get = measured?.claimCheck.consumers[e.name]?.['S3:GetObject'];
    push({
      service: 'S3',
      api: 'GetObject (claim-check)',
      perSecond: rate * (get ?? 1),
      billing: 's3Get',
      source: get === undefined ? 'modelled' : 'measured',
    });
  }
  push({
    service: 'KMS',
    api: 'GenerateDataKey + Decrypt (queue)',
    perSecond: m.kmsPerSecond,
    billing: 'kms',
    source: 'modelled',
  });
  return lines;
}

/** DynamoDB units per second on the hottest key of each table an endpoint writes, when its key can be hot. */
export function hotKeys(
  m: EndpointModel,
  lines: readonly RequestLine[],
  topology: ResolvedTopology,
  hotShare: number,
): { table: string; kind: 'write' | 'read'; perSecond: number; share: number }[] {
  const out: { table: string; kind: 'write' | 'read'; perSecond: number; share: number }[] = [];
  for (const l of lines) {
    if (l.service !== 'DynamoDB' || !l.table) continue;
    const share = hotKeyShare(topology, l.table, m.traffic, hotShare);
    if (share === undefined) continue;
    out.push({
      table: l.table,
      kind: l.billing === 'dynamodbWrite' ? 'write' : 'read',
      perSecond: l.perSecond * share,
      share,
    });
  }
  return out;
}
