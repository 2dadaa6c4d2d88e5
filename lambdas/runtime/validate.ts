import { getDotPath, safeParse, type GenericSchema } from 'valibot';
import { SchemaValidationError, UnhandledEventTypeError } from './errors.ts';

const ISSUES_SHOWN = 3;

/** The schema of `eventType`, or UnhandledEventTypeError naming the consumer and what it handles. */
export function schemaFor(
  events: Readonly<Record<string, GenericSchema>>,
  eventType: string,
  consumer: string,
): GenericSchema {
  const schema = Object.hasOwn(events, eventType) ? events[eventType] : undefined;
  if (!schema) {
    throw new UnhandledEventTypeError(
      `event type '${eventType}' is not handled by consumer '${consumer}' (it handles ${Object.keys(events).join(', ')}). ` +
        `Fix: narrow the subscription's events or add a handler`,
    );
  }
  return schema;
}

/** The payload typed by its schema, or SchemaValidationError listing the first issues with their paths. */
export function validatePayload(schema: GenericSchema, eventType: string, payload: unknown): unknown {
  const result = safeParse(schema, payload);
  if (result.success) return result.output;
  const issues = result.issues
    .slice(0, ISSUES_SHOWN)
    .map((issue) => `${getDotPath(issue) ?? '(root)'}: ${issue.message}`);
  const more = result.issues.length > ISSUES_SHOWN ? ` (+${result.issues.length - ISSUES_SHOWN} more)` : '';
  throw new SchemaValidationError(`${eventType} payload does not match its schema: ${issues.join('; ')}${more}`);
}
