import { CartPlaced, FundsCaptured } from '../fixtures/app/events.ts';
import type { DeliveryGuarantee, SubscriptionSpec, TopicSpec, Topology } from '../../topology/types.ts';

/** Topics of the generated topology: three standard (CartPlaced) and two FIFO (FundsCaptured). */
export const SCALE_TOPICS = [
  { name: 'orders-a', fifo: false },
  { name: 'orders-b', fifo: false },
  { name: 'orders-c', fifo: false },
  { name: 'payments-a', fifo: true },
  { name: 'payments-b', fifo: true },
] as const;

const STANDARD_DELIVERY: readonly DeliveryGuarantee[] = ['at-least-once', 'exactly-once', 'at-most-once'];
const FIFO_DELIVERY: readonly DeliveryGuarantee[] = ['at-least-once', 'exactly-once'];

/** Name of the i-th generated subscriber (0-based): `s001`, `s002`, … */
export const subscriberName = (i: number) => `s${String(i + 1).padStart(3, '0')}`;

function subscription(i: number, fifo: boolean): SubscriptionSpec {
  const deliveries = fifo ? FIFO_DELIVERY : STANDARD_DELIVERY;
  const delivery = deliveries[Math.floor(i / SCALE_TOPICS.length) % deliveries.length]!;
  return {
    name: subscriberName(i),
    delivery,
    consumer: fifo ? { handler: 'audit', tables: ['audit-log'] } : { handler: 'warehouse', tables: ['picks'] },
  };
}

/**
 * `subscribers` subscribers dealt round-robin over five topics (standard and FIFO), with a mix of
 * delivery guarantees: subscriber i goes to topic i mod 5, so adding one appends to one topic only.
 */
export function scaleTopology(subscribers: number, name = 'scale'): Topology {
  const topics: TopicSpec[] = SCALE_TOPICS.map((t, k) => ({
    name: t.name,
    fifo: t.fifo,
    ...(t.fifo ? { contentBasedDeduplication: true } : {}),
    events: [t.fifo ? 'FundsCaptured' : 'CartPlaced'],
    subscriptions: Array.from({ length: subscribers }, (_, i) => i)
      .filter((i) => i % SCALE_TOPICS.length === k)
      .map((i) => subscription(i, t.fifo)),
  }));
  return {
    name,
    events: {
      CartPlaced: { schema: CartPlaced },
      FundsCaptured: { schema: FundsCaptured, groupBy: 'accountId' },
    },
    tables: [
      { name: 'picks', partitionKey: 'orderId' },
      { name: 'audit-log', partitionKey: 'accountId', sortKey: 'entryId' },
    ],
    topics: [...topics, { name: 'alarms', events: [], subscriptions: [] }],
    alarmTopic: 'alarms',
  };
}
