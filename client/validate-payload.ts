import * as v from 'valibot';
import type { Topology } from '../topology/index.ts';
import { PayloadValidationError, UnknownEventTypeError } from './errors.ts';

/** The payload as its schema outputs it, or a `PayloadValidationError` naming each field and rule. */
export function validatePayload(topology: Topology, eventType: string, payload: unknown): unknown {
  const spec = topology.events[eventType];
  if (!spec) {
    throw UnknownEventTypeError.undeclared(eventType, topology);
  }
  const result = v.safeParse(spec.schema, payload);
  if (result.success) return result.output;
  const issues = result.issues.map((issue) => ({
    path: v.getDotPath(issue) ?? '(payload)',
    rule: issue.type,
    message: issue.message,
  }));
  const lines = issues.map((i) => `field '${i.path}' breaks rule '${i.rule}' (${i.message})`);
  throw new PayloadValidationError(
    `Payload of event type '${eventType}' is invalid: ${lines.join('; ')}. ` +
      `Fix: send a payload that satisfies the '${eventType}' schema in the topology.`,
    issues,
  );
}
