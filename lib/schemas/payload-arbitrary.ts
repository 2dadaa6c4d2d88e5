import fc from 'fast-check';
import type { JsonSchema } from './structural-rules.ts';

/** Beyond these, longer strings and arrays only slow the check: bounds are probed at their edges. */
const SPAN = 12;

const pad = (n: number) => String(n).padStart(2, '0');
/** Four-digit years, as ISO 8601 writes them without the extended form valibot refuses. */
const isoDate = () =>
  fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true });
const label = fc.stringMatching(/^[a-z0-9]{1,12}$/);

/**
 * Every string format valibot's JSON Schema conversion writes, as values valibot itself accepts (a test
 * checks each against valibot): values only a looser reading of the format allows would make the
 * compatibility check refuse changes no producer's payload could break.
 */
const FORMATS: Readonly<Record<string, () => fc.Arbitrary<string>>> = {
  email: () =>
    fc
      .tuple(label, fc.option(label, { nil: undefined }), label, fc.stringMatching(/^[a-z]{2,6}$/))
      .map(([user, tag, host, tld]) => `${user}${tag ? `.${tag}` : ''}@${host}.${tld}`),
  uuid: () => fc.uuid(),
  'date-time': () => isoDate().map((d) => d.toISOString()),
  date: () => isoDate().map((d) => d.toISOString().slice(0, 10)),
  time: () =>
    fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${pad(h)}:${pad(m)}`),
  uri: () => fc.webUrl(),
  ipv4: () => fc.ipV4(),
  ipv6: () =>
    fc
      .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 })
      .map((g) => g.map((n) => n.toString(16)).join(':')),
};

const num = (schema: JsonSchema, keyword: string) => schema[keyword] as number | undefined;

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const format = FORMATS[schema.format as string];
  if (format) return format();
  if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern, 'u'));
  const minLength = num(schema, 'minLength') ?? 0;
  return fc.string({
    unit: 'grapheme',
    minLength,
    maxLength: Math.min(num(schema, 'maxLength') ?? Infinity, minLength + SPAN),
  });
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const [min, max] = [num(schema, 'minimum'), num(schema, 'maximum')];
  const [above, below] = [num(schema, 'exclusiveMinimum'), num(schema, 'exclusiveMaximum')];
  if (integer) {
    const low = Math.max(min ?? -(2 ** 31), above === undefined ? -Infinity : Math.floor(above) + 1);
    const high = Math.min(max ?? 2 ** 31 - 1, below === undefined ? Infinity : Math.ceil(below) - 1);
    return fc.integer({ min: low, max: Math.max(low, high) });
  }
  return fc.double({
    noNaN: true,
    noDefaultInfinity: true,
    ...((min ?? above) !== undefined && { min: min ?? above, minExcluded: min === undefined }),
    ...((max ?? below) !== undefined && { max: max ?? below, maxExcluded: max === undefined }),
  });
}

function typedArbitrary(schema: JsonSchema, type: unknown): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
    case 'number':
      return numberArbitrary(schema, type === 'integer');
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = num(schema, 'minItems') ?? 0;
      const maxLength = Math.min(num(schema, 'maxItems') ?? Infinity, minLength + SPAN / 3);
      return fc.array(payloadArbitrary((schema.items ?? {}) as JsonSchema), { minLength, maxLength });
    }
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const fields = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, payloadArbitrary(s)]));
      return fc.record(fields, { requiredKeys: ((schema.required ?? []) as string[]).filter((k) => k in fields) });
    }
    default:
      return fc.jsonValue();
  }
}

/**
 * Payloads a schema accepts, from its structure: objects carry their declared fields only (what a
 * producer built from the schema publishes). Keywords it cannot aim at (multipleOf, patterns with a
 * format) yield some invalid payloads; the checker discards those by validating against the schema.
 */
export function payloadArbitrary(schema: JsonSchema): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...(schema.enum as unknown[]));
  const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(union) && union.length > 0) return fc.oneof(...union.map(payloadArbitrary));
  if (Array.isArray(schema.type) && schema.type.length > 0)
    return fc.oneof(...(schema.type as unknown[]).map((t) => typedArbitrary(schema, t)));
  return typedArbitrary(schema, schema.type);
}
