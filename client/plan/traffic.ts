import type { ResolvedEndpoint, ResolvedTopology } from '../../topology/index.ts';
import { PlanInputError } from './errors.ts';

/** How the published rate splits: over destinations (topics, work queues) and over each one's event types. */
export interface TrafficOptions {
  /** Messages per second published to the stack, all destinations together. */
  readonly rate: number;
  /** Destination name → fraction of `rate`; destinations not named share the rest evenly. */
  readonly shares?: Readonly<Record<string, number>>;
  /** Event type → fraction of its destination's messages; event types not named share the rest evenly. */
  readonly mix?: Readonly<Record<string, number>>;
}

export interface EventRate {
  readonly eventType: string;
  readonly rate: number;
}

export interface DestinationTraffic {
  readonly name: string;
  readonly kind: 'topic' | 'work-queue';
  readonly fifo: boolean;
  readonly highThroughput: boolean;
  readonly maxMessageSizeBytes: number;
  readonly rate: number;
  readonly events: readonly EventRate[];
  /** The split over event types was assumed even (no --mix for any of them). */
  readonly evenMix: boolean;
}

export interface EndpointTraffic {
  readonly endpoint: ResolvedEndpoint;
  readonly destination: DestinationTraffic;
  readonly rate: number;
  readonly events: readonly EventRate[];
}

export interface Traffic {
  readonly destinations: readonly DestinationTraffic[];
  readonly endpoints: readonly EndpointTraffic[];
  readonly evenShares: boolean;
}

/** Splits `total` over `names` by the given fractions; the names not given share what is left. */
function split(flag: string, names: readonly string[], given: Readonly<Record<string, number>>, total: number) {
  const named = names.filter((n) => given[n] !== undefined);
  const sum = named.reduce((s, n) => s + given[n]!, 0);
  if (sum > 1 + 1e-9)
    throw new PlanInputError(
      `${flag}: the fractions of ${named.join(', ')} add up to ${sum} (over 1). Fix: give fractions that sum to at most 1.`,
    );
  const rest = names.length - named.length;
  return names.map((n) => ({ name: n, rate: total * (given[n] ?? (rest ? (1 - sum) / rest : 0)) }));
}

function checkFractions(flag: string, given: Readonly<Record<string, number>>, known: readonly string[]): void {
  for (const [name, value] of Object.entries(given)) {
    if (!known.includes(name))
      throw new PlanInputError(`${flag}: '${name}' is not one of ${known.join(', ')}. Fix: name one of them.`);
    if (!(value >= 0 && value <= 1))
      throw new PlanInputError(`${flag}: ${name}=${value} is not a fraction from 0 to 1. Fix: give e.g. ${name}=0.5.`);
  }
}

/** The rate of every destination, event type and endpoint. Filter policies beyond event types are assumed to pass every message. */
export function splitTraffic(topology: ResolvedTopology, options: TrafficOptions): Traffic {
  if (!(Number.isFinite(options.rate) && options.rate > 0))
    throw new PlanInputError(
      `--rate ${options.rate} is not a rate: it must be a number of messages per second above 0. Fix: pass e.g. --rate 1000.`,
    );
  const sources = [
    ...topology.topics
      .filter((t) => t.events.length > 0)
      .map((t) => ({
        name: t.name,
        kind: 'topic' as const,
        fifo: t.fifo,
        highThroughput: t.highThroughput,
        maxMessageSizeBytes: t.maxMessageSizeBytes,
        events: t.events,
      })),
    ...topology.endpoints
      .filter((e) => e.kind === 'work-queue')
      .map((e) => ({
        name: e.name,
        kind: 'work-queue' as const,
        fifo: e.fifo,
        highThroughput: e.highThroughput,
        maxMessageSizeBytes: e.maxMessageSizeBytes,
        events: e.events,
      })),
  ];
  const shares = options.shares ?? {};
  const mix = options.mix ?? {};
  checkFractions(
    '--share',
    shares,
    sources.map((s) => s.name),
  );
  checkFractions('--mix', mix, Object.keys(topology.source.events));
  const rates = split(
    '--share',
    sources.map((s) => s.name),
    shares,
    options.rate,
  );
  const destinations: DestinationTraffic[] = sources.map((s, i) => ({
    ...s,
    rate: rates[i]!.rate,
    events: split('--mix', s.events, mix, rates[i]!.rate).map((e) => ({ eventType: e.name, rate: e.rate })),
    evenMix: s.events.every((e) => mix[e] === undefined),
  }));
  const endpoints = topology.endpoints.map((endpoint) => {
    const destination = destinations.find((d) => d.name === (endpoint.topic ?? endpoint.name))!;
    const events = destination.events.filter((e) => endpoint.events.includes(e.eventType));
    return { endpoint, destination, events, rate: events.reduce((s, e) => s + e.rate, 0) };
  });
  return { destinations, endpoints, evenShares: Object.keys(shares).length === 0 };
}
