import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Event pattern matching with the rule syntax Lambda event filters and SNS filter policies share
 * (EventBridge patterns): exact values, `prefix`, `suffix`, `equals-ignore-case`, `anything-but`,
 * `numeric`, `exists`, `cidr`, `wildcard`, and `$or`. A pattern object matches when every key
 * matches; an array of rules matches when any rule matches the value (or any element of an array value).
 */
export type Pattern = { readonly [key: string]: unknown };

const MISSING = Symbol('missing');
type Value = unknown | typeof MISSING;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function matchesPattern(pattern: Pattern, event: unknown): boolean {
  for (const [key, rules] of Object.entries(pattern)) {
    if (key === '$or') {
      if (
        !Array.isArray(rules) ||
        !rules.some((alternative) => isObject(alternative) && matchesPattern(alternative, event))
      )
        return false;
      continue;
    }
    const value: Value = isObject(event) && key in event ? event[key] : MISSING;
    if (isObject(rules)) {
      if (!isObject(value) || !matchesPattern(rules, value)) return false;
    } else if (Array.isArray(rules)) {
      if (!rules.some((rule) => matchesRule(rule, value))) return false;
    } else {
      return false;
    }
  }
  return true;
}

function matchesRule(rule: unknown, value: Value): boolean {
  if (isObject(rule) && 'exists' in rule) return (value !== MISSING) === rule.exists;
  if (value === MISSING) return false;
  if (Array.isArray(value)) return value.some((element) => matchesRule(rule, element));
  if (!isObject(rule)) return equalValues(rule, value);
  const [operator, operand] = Object.entries(rule)[0] ?? [];
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && affix(operand, value, (v, o) => v.startsWith(o));
    case 'suffix':
      return typeof value === 'string' && affix(operand, value, (v, o) => v.endsWith(o));
    case 'equals-ignore-case':
      return typeof value === 'string' && typeof operand === 'string' && value.toLowerCase() === operand.toLowerCase();
    case 'anything-but':
      return !anythingButExcludes(operand, value);
    case 'numeric':
      return typeof value === 'number' && Array.isArray(operand) && numericMatches(operand, value);
    case 'cidr':
      return typeof value === 'string' && typeof operand === 'string' && inCidr(value, operand);
    case 'wildcard':
      return typeof value === 'string' && typeof operand === 'string' && wildcardRegExp(operand).test(value);
    default:
      return false;
  }
}

function equalValues(rule: unknown, value: unknown): boolean {
  if (typeof rule === 'number' && typeof value === 'number') return rule === value;
  return rule === value;
}

/** `prefix` / `suffix` take a string or `{ 'equals-ignore-case': string }`. */
function affix(operand: unknown, value: string, test: (value: string, operand: string) => boolean): boolean {
  if (typeof operand === 'string') return test(value, operand);
  const ignoreCase = isObject(operand) ? operand['equals-ignore-case'] : undefined;
  return typeof ignoreCase === 'string' && test(value.toLowerCase(), ignoreCase.toLowerCase());
}

function anythingButExcludes(operand: unknown, value: unknown): boolean {
  if (Array.isArray(operand)) return operand.some((excluded) => equalValues(excluded, value));
  if (isObject(operand)) return matchesRule(operand, value);
  return equalValues(operand, value);
}

const COMPARE: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function numericMatches(conditions: readonly unknown[], value: number): boolean {
  for (let i = 0; i < conditions.length; i += 2) {
    const compare = COMPARE[String(conditions[i])];
    const bound = conditions[i + 1];
    if (!compare || typeof bound !== 'number' || !compare(value, bound)) return false;
  }
  return conditions.length > 0;
}

function inCidr(address: string, cidr: string): boolean {
  const [network, bits] = cidr.split('/');
  const family = isIPv4(network ?? '') ? 'ipv4' : isIPv6(network ?? '') ? 'ipv6' : undefined;
  if (!family || !(isIPv4(address) || isIPv6(address))) return false;
  const list = new BlockList();
  list.addSubnet(network!, Number(bits ?? (family === 'ipv4' ? 32 : 128)), family);
  return list.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
}

function wildcardRegExp(wildcard: string): RegExp {
  const escaped = wildcard.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's');
}
