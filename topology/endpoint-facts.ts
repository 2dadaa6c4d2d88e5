import { DEFAULT_PRODUCER_KEY_ATTRIBUTE } from './defaults.ts';
import type { QueueEndpointSpec, Topology, TopicSpec } from './types.ts';

/** What an endpoint is, beyond its own spec: derived here once, read by validation, names and resolution. */
export interface EndpointFacts {
  readonly spec: QueueEndpointSpec;
  readonly kind: 'subscription' | 'work-queue';
  /** The topic feeding the queue (subscriptions). */
  readonly topic: TopicSpec | undefined;
  /** The queue is FIFO: the subscription's own setting, else its topic's. */
  readonly fifo: boolean;
  /** The topic is FIFO (subscriptions only; undefined for work queues). */
  readonly topicFifo: boolean | undefined;
  /** Records arrive in the SNS JSON envelope (subscriptions without raw delivery). */
  readonly snsEnvelope: boolean;
  readonly rawDelivery: boolean;
  readonly highThroughput: boolean;
  /** Event types the endpoint receives. */
  readonly events: readonly string[];
  readonly producerKeyAttribute: string;
  readonly producers: readonly string[];
  readonly requestReply: boolean;
}

/** The facts of every endpoint (subscriptions first, in topic order, then work queues). */
export function endpointFacts(topology: Topology): EndpointFacts[] {
  const facts: EndpointFacts[] = [];
  for (const topic of topology.topics) {
    for (const sub of topic.subscriptions) {
      const rawDelivery = sub.rawDelivery ?? false;
      facts.push({
        spec: sub,
        kind: 'subscription',
        topic,
        fifo: sub.fifo ?? topic.fifo ?? false,
        topicFifo: topic.fifo ?? false,
        snsEnvelope: !rawDelivery,
        rawDelivery,
        highThroughput: topic.highThroughput ?? false,
        events: sub.events ?? topic.events,
        producerKeyAttribute: topic.producerKeyAttribute ?? DEFAULT_PRODUCER_KEY_ATTRIBUTE,
        producers: [],
        requestReply: false,
      });
    }
  }
  for (const queue of topology.workQueues ?? []) {
    facts.push({
      spec: queue,
      kind: 'work-queue',
      topic: undefined,
      fifo: queue.fifo ?? false,
      topicFifo: undefined,
      snsEnvelope: false,
      rawDelivery: false,
      highThroughput: queue.highThroughput ?? false,
      events: queue.events,
      producerKeyAttribute: queue.producerKeyAttribute ?? DEFAULT_PRODUCER_KEY_ATTRIBUTE,
      producers: queue.producers ?? [],
      requestReply: queue.requestReply ?? false,
    });
  }
  return facts;
}
