import type { ResolvedEndpoint, ResolvedTopology, Topology } from '../topology/index.ts';
import { OUTPUT_KEYS } from '../contracts/index.ts';
import { UnknownEventTypeError, UnknownSubscriberError } from './errors.ts';
import type { StackOutputs } from './stack-outputs.ts';

/** Where an event type is published: an SNS topic or an SQS work queue. */
export interface Destination {
  readonly kind: 'topic' | 'queue';
  /** Topic or work queue name in the topology. */
  readonly name: string;
  /** Topic ARN or queue URL. */
  readonly address: string;
  readonly fifo: boolean;
  readonly contentBasedDeduplication: boolean;
  readonly producerKeyAttribute: string;
  readonly events: readonly string[];
  /** Largest message (body + attributes) the destination accepts: the topic's MaximumMessageSize, or SQS's. */
  readonly maxMessageBytes: number;
  /** Its consumer answers `request()` (work queues with `requestReply`; never a topic). */
  readonly requestReply: boolean;
}

/** A subscriber's or work queue's queues, for status and DLQ tools. */
export interface EndpointTarget {
  readonly endpoint: ResolvedEndpoint;
  readonly queueUrl: string;
  /** Undefined for at-most-once endpoints (no DLQ). */
  readonly deadLetterQueueUrl: string | undefined;
}

/** Resolves topology names to the addresses in a stack's outputs. */
export class Target {
  constructor(
    readonly topology: ResolvedTopology,
    readonly outputs: StackOutputs,
  ) {}

  get source(): Topology {
    return this.topology.source;
  }

  /** The topic or work queue an event type is published to (`via` picks one when several carry it). */
  destinationOf(eventType: string, via?: string): Destination {
    if (!(eventType in this.source.events)) {
      throw UnknownEventTypeError.undeclared(eventType, this.source);
    }
    const carriers = this.destinations().filter((d) => d.events.includes(eventType));
    const chosen = via ? carriers.find((d) => d.name === via) : carriers[0];
    if (!chosen) {
      const names = carriers.map((d) => d.name).join(', ') || 'none';
      throw new UnknownEventTypeError(
        via
          ? `Event type '${eventType}' is not published to '${via}' (it goes to: ${names}). Fix: pick one of those.`
          : `Event type '${eventType}' is on no topic or work queue. Fix: list it in a topic's or work queue's events.`,
      );
    }
    return chosen;
  }

  /** Every topic and work queue producers can publish to (the alarm topic excluded). */
  destinations(): Destination[] {
    const outputs = this.outputs;
    const topics = this.topology.topics
      .filter((t) => t.events.length > 0)
      .map(
        (t): Destination => ({
          kind: 'topic',
          name: t.name,
          get address() {
            return outputs.require(OUTPUT_KEYS.topicArn(t.name), `topic '${t.name}'`);
          },
          fifo: t.fifo,
          contentBasedDeduplication: t.contentBasedDeduplication,
          producerKeyAttribute: t.producerKeyAttribute,
          events: t.events,
          maxMessageBytes: t.maxMessageSizeBytes,
          requestReply: false,
        }),
      );
    const queues = this.topology.endpoints
      .filter((q) => q.kind === 'work-queue')
      .map(
        (q): Destination => ({
          kind: 'queue',
          name: q.name,
          get address() {
            return outputs.require(OUTPUT_KEYS.queueUrl(q.name), `work queue '${q.name}'`);
          },
          fifo: q.fifo,
          contentBasedDeduplication: false,
          producerKeyAttribute: q.producerKeyAttribute,
          events: q.events,
          maxMessageBytes: q.maxMessageSizeBytes,
          requestReply: q.requestReply,
        }),
      );
    return [...topics, ...queues];
  }

  /** A topic or work queue by name. */
  destination(name: string): Destination {
    const found = this.destinations().find((d) => d.name === name);
    if (!found) {
      throw new UnknownSubscriberError(
        `Unknown topic or work queue '${name}'. Valid names: ${this.destinations()
          .map((d) => d.name)
          .join(', ')}.`,
      );
    }
    return found;
  }

  endpointNames(): string[] {
    return this.topology.endpoints.map((e) => e.name);
  }

  /** A subscriber or work queue of the topology by name; an unknown name fails naming the valid ones. */
  resolvedEndpoint(name: string): ResolvedEndpoint {
    const endpoint = this.topology.endpoints.find((e) => e.name === name);
    if (!endpoint) {
      throw new UnknownSubscriberError(
        `Unknown subscriber '${name}'. Valid subscribers: ${this.endpointNames().join(', ')}.`,
      );
    }
    return endpoint;
  }

  /** A subscriber or work queue by name, with its queue URLs. */
  endpoint(name: string): EndpointTarget {
    const endpoint = this.resolvedEndpoint(name);
    const what = `${endpoint.kind} '${endpoint.path}'`;
    return {
      endpoint,
      queueUrl: this.outputs.require(OUTPUT_KEYS.queueUrl(name), `the queue of ${what}`),
      deadLetterQueueUrl: endpoint.hasDeadLetterQueue
        ? this.outputs.require(OUTPUT_KEYS.deadLetterQueueUrl(name), `the DLQ of ${what}`)
        : undefined,
    };
  }

  payloadBucket(): string | undefined {
    return this.outputs.get(OUTPUT_KEYS.payloadBucketName);
  }
}
