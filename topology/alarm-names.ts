/**
 * Alarm names: built by the stack (lib/monitoring/alarms.ts) and read back by the status tools
 * (client/status.ts). `<prefix>-<endpoint>-<kind>`, one definition for both sides.
 */
export const ALARM_KINDS = [
  'depth',
  'age',
  'quiet-age',
  'dlq',
  'sub-dlq',
  'errors',
  'throttles',
  'time-to-drain',
  'failed-records',
  'dead-lettered',
  'dropped',
] as const;

/** The kinds of alarm an endpoint can have; the last part of every alarm name. */
export type AlarmKind = (typeof ALARM_KINDS)[number];

/** `<prefix>-<endpoint>-<kind>`: the name of one alarm of an endpoint. */
export const alarmName = (prefix: string, endpoint: string, kind: AlarmKind): string => `${prefix}-${endpoint}-${kind}`;

/**
 * The endpoint (of `endpoints`) whose alarms include `name`, compared as whole names rather than as
 * prefixes: `<prefix>-orders-audit-dlq` is `orders-audit`'s, never `orders`'s, and an alarm another
 * stack named `<prefix>-orders-x` is nobody's. The topology validator rejects endpoint names whose
 * alarm names would collide, so at most one endpoint matches.
 */
export function alarmOwner(name: string, prefix: string, endpoints: readonly string[]): string | undefined {
  return endpoints.find((endpoint) => ALARM_KINDS.some((kind) => alarmName(prefix, endpoint, kind) === name));
}

/** Pairs of endpoints and kinds that would give two alarms one name (e.g. `a` + `sub-dlq` and `a-sub` + `dlq`). */
export function alarmNameCollisions(
  prefix: string,
  endpoints: readonly string[],
): { readonly name: string; readonly owners: string[] }[] {
  const owners = new Map<string, string[]>();
  for (const endpoint of new Set(endpoints)) {
    for (const kind of ALARM_KINDS) {
      const name = alarmName(prefix, endpoint, kind);
      owners.set(name, [...(owners.get(name) ?? []), `${endpoint} (${kind})`]);
    }
  }
  return [...owners].filter(([, list]) => list.length > 1).map(([name, list]) => ({ name, owners: list }));
}
