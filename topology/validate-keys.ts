import type { TopologyProblem } from './errors.ts';
import { schemaFields } from './rule-helpers.ts';
import type { IdempotencyKeySource, QueueEndpointSpec, Topology } from './types.ts';

const fieldsOf = (sources: readonly IdempotencyKeySource[]) =>
  sources.flatMap((s) => (typeof s === 'object' && 'field' in s ? [s.field] : []));

/**
 * The payload-field keys of an endpoint: `idempotencyKey`'s fields must be fields of every event type
 * the endpoint receives and does not key apart; `idempotencyKeyByEvent` may only name event types the
 * endpoint receives, each with at least one source whose fields that event's schema has.
 */
export function checkKeySources(
  element: string,
  spec: QueueEndpointSpec,
  events: readonly string[],
  topology: Topology,
  problems: TopologyProblem[],
): void {
  const byEvent = spec.idempotencyKeyByEvent ?? {};
  const usingDefault = events.filter((event) => !Object.hasOwn(byEvent, event));
  for (const field of fieldsOf(spec.idempotencyKey ?? []))
    checkKeyField(element, field, usingDefault, topology, problems);
  for (const [event, sources] of Object.entries(byEvent)) {
    if (!events.includes(event)) {
      problems.push({
        element,
        rule: `idempotencyKeyByEvent names event type '${event}', which this endpoint does not receive (it receives ${events.join(', ') || 'none'})`,
        fix: `remove '${event}' from idempotencyKeyByEvent, or fix the name`,
      });
      continue;
    }
    if (sources.length === 0) {
      problems.push({
        element,
        rule: `idempotencyKeyByEvent gives event type '${event}' no key source`,
        fix: `name at least one source (e.g. [{ field: '<id of each ${event}>' }]), or remove '${event}' to use idempotencyKey`,
      });
    }
    for (const field of fieldsOf(sources)) checkKeyField(element, field, [event], topology, problems);
  }
}

/** A payload-field key must be a field of every event type keyed by it. */
function checkKeyField(
  element: string,
  field: string,
  events: readonly string[],
  topology: Topology,
  problems: TopologyProblem[],
): void {
  for (const event of events) {
    if (!topology.events[event]) continue;
    const fields = schemaFields(topology, event);
    if (!fields?.includes(field)) {
      problems.push({
        element,
        rule: `idempotency key field '${field}' is not a field of event type '${event}' (its schema ${fields ? `has ${fields.join(', ')}` : 'is not an object schema'})`,
        fix: `key on a field every event of the endpoint has, add '${field}' to the schema of '${event}', or key '${event}' apart (idempotencyKeyByEvent)`,
      });
    }
  }
}
