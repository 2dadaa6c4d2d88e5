import type { FilterPolicy, FilterPolicyValue } from './types.ts';

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
