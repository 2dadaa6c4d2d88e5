import type { Topology } from '../../topology/index.ts';
import { DEFAULTS } from '../../topology/internal.ts';
import { toJsonSchema } from '@valibot/to-json-schema';
import { IncompatibleSchemaError } from '../errors.ts';
import { compatibilityProblems } from './compatibility.ts';
import { type LockedSchema, SCHEMA_LOCK_VERSION, type SchemaLock } from './schema-lock.ts';
import type { JsonSchema } from './structural-rules.ts';

function jsonSchemaOf(event: string, spec: Topology['events'][string]): JsonSchema | string {
  try {
    return toJsonSchema(spec.schema, { errorMode: 'throw' }) as JsonSchema;
  } catch (error) {
    return (
      `event type '${event}': its schema has no JSON Schema form (${(error as Error).message}), so its changes cannot be checked. ` +
      `Fix: build it from schemas with a JSON Schema form (object, string, number, picklist, optional, …), or set compatibility: 'none' on it.`
    );
  }
}

/**
 * The schema lock after this synthesis, or an `IncompatibleSchemaError` with one line per change that
 * breaks an event type's compatibility mode and is not `accepted` (event type names, or `*`).
 */
export function guardSchemas(topology: Topology, previous: SchemaLock, accepted: readonly string[]): SchemaLock {
  const problems: string[] = [];
  const events: Record<string, LockedSchema> = {};
  for (const [event, spec] of Object.entries(topology.events)) {
    const compatibility = spec.compatibility ?? DEFAULTS.schemaCompatibility;
    const schema = jsonSchemaOf(event, spec);
    if (typeof schema === 'string') {
      if (compatibility === 'none') continue;
      problems.push(schema);
      continue;
    }
    events[event] = { compatibility, schema };
    const recorded = previous.events[event];
    if (!recorded || accepted.includes('*') || accepted.includes(event)) continue;
    problems.push(...compatibilityProblems(event, recorded.schema, schema, compatibility));
  }
  if (problems.length > 0) throw new IncompatibleSchemaError(problems);
  return { version: SCHEMA_LOCK_VERSION, events };
}
