import { SCHEMA_COMPATIBILITY_MODES } from './defaults.ts';
import type { TopologyProblem } from './errors.ts';
import type { EventTypeSpec, Topology } from './types.ts';

type EventRule = (spec: EventTypeSpec) => Omit<TopologyProblem, 'element'> | undefined;

/** Rules of one event type's own settings; the validator names the event type. */
export const EVENT_RULES: readonly EventRule[] = [
  (spec) =>
    spec.compatibility === undefined || SCHEMA_COMPATIBILITY_MODES.includes(spec.compatibility)
      ? undefined
      : {
          rule: `compatibility must be one of ${SCHEMA_COMPATIBILITY_MODES.join(', ')} (given ${JSON.stringify(spec.compatibility)})`,
          fix: "use 'backward' (the default) unless old consumers must read new messages ('forward', 'full') or no check is wanted ('none')",
        },
];

export function checkEventTypes(topology: Topology, problems: TopologyProblem[]): void {
  for (const [event, spec] of Object.entries(topology.events)) {
    for (const rule of EVENT_RULES) {
      const found = rule(spec);
      if (found) problems.push({ element: `event type '${event}'`, ...found });
    }
  }
}
