import type { Topology } from './types.ts';

/** An integer from `min` to `max` inclusive. */
export const between = (value: number, min: number, max: number) =>
  Number.isInteger(value) && value >= min && value <= max;

/** Field names of an event type's object schema; undefined when the schema is not an object schema. */
export function schemaFields(topology: Topology, event: string): string[] | undefined {
  const schema = topology.events[event]?.schema as { readonly entries?: Record<string, unknown> } | undefined;
  return schema?.entries ? Object.keys(schema.entries) : undefined;
}
