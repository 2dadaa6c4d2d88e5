import { InvalidFilterError } from './errors.ts';
import type { MessageView } from './sqs-util.ts';

/**
 * A replay filter: comma-separated conditions, all of which must hold.
 * `<field>=<value>`, `<field>!=<value>`, `<field>~<substring>`, where field is `eventType`,
 * `attr.<name>` (message attribute) or `body.<dot.path>` (payload field).
 */
export type MessageFilter = (view: MessageView) => boolean;

const CONDITION = /^\s*(eventType|attr\.[A-Za-z0-9_.-]+|body\.[A-Za-z0-9_.$-]+)\s*(!=|=|~)\s*(.*?)\s*$/;

function fieldValue(view: MessageView, field: string): string | undefined {
  if (field === 'eventType') return view.eventType;
  if (field.startsWith('attr.')) return view.attributes[field.slice(5)];
  let value: unknown;
  try {
    value = JSON.parse(view.payload);
  } catch {
    return undefined;
  }
  for (const key of field.slice(5).split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
  return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
}

export function parseFilter(expression: string): MessageFilter {
  const conditions = expression.split(',').map((part) => {
    const match = CONDITION.exec(part);
    if (!match) {
      throw new InvalidFilterError(
        `Filter condition '${part.trim()}' is not understood. Fix: write <field>=<value>, <field>!=<value> or ` +
          `<field>~<substring> with field eventType, attr.<name> or body.<path>, e.g. 'eventType=OrderPlaced,body.accountId=a-1'.`,
      );
    }
    const [, field, op, expected] = match as unknown as [string, string, '=' | '!=' | '~', string];
    return (view: MessageView) => {
      const actual = fieldValue(view, field);
      if (op === '=') return actual === expected;
      if (op === '!=') return actual !== expected;
      return actual?.includes(expected);
    };
  });
  return (view) => conditions.every((holds) => holds(view));
}
