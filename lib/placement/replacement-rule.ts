import { endpointStackId } from '../endpoint-stack.ts';
import type { StatefulIdentity } from './placement-record.ts';
import { STATEFUL_TYPES } from './stateful-resources.ts';

/** Context key listing replacements accepted on purpose: endpoint names or resource paths, comma-separated, or `*`. */
export const ACCEPT_REPLACEMENT_CONTEXT = 'fanout:acceptReplacement';

const stackLabel = (index: number) => (index === 0 ? 'the root stack' : `nested stack ${endpointStackId(index)}`);

/** The endpoint a resource path belongs to (`Endpoint-<name>/…`), if any. */
const endpointOf = (path: string) => /^Endpoint-([^/]+)\//.exec(path)?.[1];

function isAccepted(path: string, accepted: readonly string[]): boolean {
  const endpoint = endpointOf(path);
  return accepted.some((a) => a === '*' || a === path || (endpoint !== undefined && a === endpoint));
}

function changes(before: StatefulIdentity, after: StatefulIdentity): string[] {
  const found: string[] = [];
  if (before.stack !== after.stack)
    found.push(`it moves from ${stackLabel(before.stack)} to ${stackLabel(after.stack)}`);
  if (before.logicalId !== after.logicalId)
    found.push(`its logical id changes from ${before.logicalId} to ${after.logicalId}`);
  for (const name of new Set([...Object.keys(before.replacedOn), ...Object.keys(after.replacedOn)])) {
    const [was, now] = [before.replacedOn[name], after.replacedOn[name]];
    if (was !== now) found.push(`${name} changes from ${was ?? '(unset)'} to ${now ?? '(unset)'}`);
  }
  return found;
}

/** The physical name a stateful resource carries (QueueName, TopicName, …), used to recognise one that moved to a new path. */
const physicalName = (id: StatefulIdentity) =>
  `${id.type} ${id.replacedOn[STATEFUL_TYPES[id.type]!.replacedOn[0]!] ?? ''}`;

/**
 * Every change from `previous` to `current` that would make CloudFormation replace a recorded
 * stateful resource, one line each (element, rule, fix), except those `accepted`. Resources that
 * are gone from the topology are deletions the user asked for, not replacements.
 */
export function replacementProblems(
  previous: Readonly<Record<string, StatefulIdentity>>,
  current: Readonly<Record<string, StatefulIdentity>>,
  accepted: readonly string[],
): string[] {
  const problems: string[] = [];
  const report = (path: string, id: StatefulIdentity, what: readonly string[]) => {
    if (what.length === 0 || isAccepted(path, accepted)) return;
    const endpoint = endpointOf(path);
    problems.push(
      `${path} (${id.type}): ${what.join('; ')}, so CloudFormation would replace it and ${STATEFUL_TYPES[id.type]!.holds} would be lost. ` +
        `Fix: revert that change, or accept the loss with -c ${ACCEPT_REPLACEMENT_CONTEXT}=${endpoint ?? path}.`,
    );
  };
  const gone = new Map<string, string>();
  for (const [path, before] of Object.entries(previous)) {
    const after = current[path];
    if (after) report(path, before, changes(before, after));
    else if (Object.keys(before.replacedOn).length > 0) gone.set(physicalName(before), path);
  }
  for (const [path, after] of Object.entries(current)) {
    const from = previous[path] ? undefined : gone.get(physicalName(after));
    if (from) report(path, after, [`it was ${from} (same name, new construct path, logical id ${after.logicalId})`]);
  }
  return problems;
}
