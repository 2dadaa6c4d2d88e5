import { EVENT_TYPE_ATTRIBUTE } from './defaults.ts';
import type { FilterPolicy, FilterPolicyValue, SubscriptionSpec, TopicSpec } from './types.ts';

/** Whether a subscription's `events` list leaves out some of its topic's events (and so must filter). */
export function narrowsEvents(sub: SubscriptionSpec, topic: TopicSpec): boolean {
  return sub.events !== undefined && sub.events.length < topic.events.length;
}

/**
 * The filter policy SNS applies to a subscription: its `events` as an `eventType` attribute filter
 * merged with its own `filterPolicy`. A body-scoped policy cannot see attributes (validateTopology
 * rejects `events` with a body scope), so it is the subscription's policy alone.
 */
export function subscriptionFilter(
  sub: SubscriptionSpec,
  topic: TopicSpec,
): { policy: FilterPolicy | undefined; scope: 'attributes' | 'body' } {
  const scope = sub.filterPolicyScope ?? 'attributes';
  const eventKey: FilterPolicy = narrowsEvents(sub, topic) ? { [EVENT_TYPE_ATTRIBUTE]: [...sub.events!] } : {};
  const policy = scope === 'body' ? { ...sub.filterPolicy } : { ...eventKey, ...sub.filterPolicy };
  return { policy: Object.keys(policy).length ? policy : undefined, scope };
}

function isNested(value: FilterPolicyValue): value is FilterPolicy {
  return !Array.isArray(value);
}

/** Number of leaf keys SNS counts against the 5-key limit (nested body keys count at the leaves). */
export function filterPolicyKeyCount(policy: FilterPolicy): number {
  let count = 0;
  for (const value of Object.values(policy)) count += isNested(value) ? filterPolicyKeyCount(value) : 1;
  return count;
}

/**
 * Number of value combinations SNS counts against the 150 limit: the product of the number of
 * values of every key (an `$or` is not supported here and counts as its listed branches multiplied).
 */
export function filterPolicyCombinations(policy: FilterPolicy): number {
  let product = 1;
  for (const value of Object.values(policy)) {
    product *= isNested(value) ? filterPolicyCombinations(value) : Math.max(value.length, 1);
  }
  return product;
}
