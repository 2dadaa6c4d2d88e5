import { isDeepStrictEqual } from 'node:util';

/** A JSON Schema (draft 7) as `@valibot/to-json-schema` writes it. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * Which payloads flow which way: `writer` payloads (the schema messages were published under) must
 * pass the `reader` schema. Backward: recorded → new; forward: new → recorded.
 */
export type Direction = 'backward' | 'forward';

/** One difference the rules recognise as breaking, or could not reason about. */
export interface SchemaBreak {
  /** `(payload)`, `items[].sku`, … */
  readonly field: string;
  readonly kind:
    | 'removed field'
    | 'new required field'
    | 'narrowed type'
    | 'changed type'
    | 'narrowed enum'
    | 'narrowed constraint'
    | 'cannot prove';
  /** What changed, from the recorded schema to the new one. */
  readonly change: string;
}

const ANNOTATIONS = new Set(['$schema', 'title', 'description', 'examples', 'default', '$comment']);
/** The keywords these rules reason about; any other one that differs is refused as "cannot prove". */
const RECOGNISED = new Set([
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
]);

const keywords = (schema: JsonSchema) => Object.keys(schema).filter((k) => !ANNOTATIONS.has(k));
const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));
const child = (field: string, name: string) => (field === '(payload)' ? name : `${field}.${name}`);

/** Allowed values of a schema with `enum` or `const`, else undefined (any value of its type). */
const valuesOf = (schema: JsonSchema): readonly unknown[] | undefined =>
  'const' in schema ? [schema.const] : Array.isArray(schema.enum) ? schema.enum : undefined;

/** Whether the type `reader` allows every value of type `writer` (an integer is a number). */
const typeCovers = (reader: unknown, writer: unknown) =>
  reader === undefined || reader === writer || (reader === 'number' && writer === 'integer');

type Bound = { readonly keyword: string; readonly lower: boolean };
const BOUNDS: readonly Bound[] = [
  { keyword: 'minLength', lower: true },
  { keyword: 'maxLength', lower: false },
  { keyword: 'minimum', lower: true },
  { keyword: 'maximum', lower: false },
  { keyword: 'exclusiveMinimum', lower: true },
  { keyword: 'exclusiveMaximum', lower: false },
  { keyword: 'minItems', lower: true },
  { keyword: 'maxItems', lower: false },
];

function boundBreaks(writer: JsonSchema, reader: JsonSchema, field: string): SchemaBreak[] {
  const breaks: SchemaBreak[] = [];
  for (const { keyword, lower } of BOUNDS) {
    const [was, now] = [writer[keyword] as number | undefined, reader[keyword] as number | undefined];
    if (now === undefined || was === now) continue;
    const tighter = was === undefined || (lower ? now > was : now < was);
    if (tighter) breaks.push({ field, kind: 'narrowed constraint', change: `${keyword} ${show(was)} → ${show(now)}` });
  }
  for (const keyword of ['pattern', 'format']) {
    const [was, now] = [writer[keyword], reader[keyword]];
    if (now !== undefined && was !== now)
      breaks.push({ field, kind: 'narrowed constraint', change: `${keyword} ${show(was)} → ${show(now)}` });
  }
  const [was, now] = [writer.multipleOf as number | undefined, reader.multipleOf as number | undefined];
  if (now !== undefined && (was === undefined || !Number.isInteger(was / now)))
    breaks.push({ field, kind: 'narrowed constraint', change: `multipleOf ${show(was)} → ${show(now)}` });
  return breaks;
}

function objectBreaks(writer: JsonSchema, reader: JsonSchema, field: string, direction: Direction): SchemaBreak[] {
  const breaks: SchemaBreak[] = [];
  const wrote = (writer.properties ?? {}) as Record<string, JsonSchema>;
  const reads = (reader.properties ?? {}) as Record<string, JsonSchema>;
  const wroteRequired = new Set((writer.required ?? []) as string[]);
  for (const name of (reader.required ?? []) as string[]) {
    if (wroteRequired.has(name)) continue;
    const change = name in wrote ? `'${name}' optional → required` : `'${name}' added as required`;
    breaks.push({ field: child(field, name), kind: 'new required field', change });
  }
  for (const [name, schema] of Object.entries(wrote)) {
    const read = reads[name];
    if (read) breaks.push(...structuralBreaks(schema, read, child(field, name), direction));
    else if (direction === 'backward' || reader.additionalProperties === false)
      breaks.push({ field: child(field, name), kind: 'removed field', change: `'${name}' removed` });
  }
  if (
    reader.additionalProperties !== undefined &&
    !isDeepStrictEqual(writer.additionalProperties, reader.additionalProperties)
  )
    breaks.push({
      field,
      kind: 'cannot prove',
      change: `additionalProperties ${show(writer.additionalProperties)} → ${show(reader.additionalProperties)}`,
    });
  return breaks;
}

/**
 * Why payloads valid for `writer` might fail `reader`, by structure alone: empty when the rules prove
 * every one passes. Unchanged subtrees pass whatever keywords they use; a changed subtree using a
 * keyword the rules do not know (anyOf, $ref, …) is refused as "cannot prove".
 */
export function structuralBreaks(
  writer: JsonSchema,
  reader: JsonSchema,
  field = '(payload)',
  direction: Direction = 'backward',
): SchemaBreak[] {
  if (isDeepStrictEqual(writer, reader)) return [];
  if (keywords(reader).length === 0) return [];
  const unknown = [...new Set([...keywords(writer), ...keywords(reader)])].filter((k) => !RECOGNISED.has(k));
  if (unknown.length > 0)
    return [
      { field, kind: 'cannot prove', change: `the schema uses ${unknown.join(', ')}, which the rules cannot compare` },
    ];
  const [wroteValues, readValues] = [valuesOf(writer), valuesOf(reader)];
  if (readValues) {
    const lost = wroteValues ? wroteValues.filter((v) => !readValues.some((r) => isDeepStrictEqual(r, v))) : undefined;
    if (!wroteValues)
      return [
        { field, kind: 'narrowed enum', change: `any ${show(writer.type)} → only ${readValues.map(show).join(', ')}` },
      ];
    if (lost && lost.length > 0)
      return [{ field, kind: 'narrowed enum', change: `${lost.map(show).join(', ')} no longer allowed` }];
    return typeCovers(reader.type, writer.type)
      ? []
      : [{ field, kind: 'changed type', change: `${show(writer.type)} → ${show(reader.type)}` }];
  }
  if (!typeCovers(reader.type, writer.type)) {
    const narrowed = writer.type === 'number' && reader.type === 'integer';
    return [
      {
        field,
        kind: narrowed ? 'narrowed type' : 'changed type',
        change: `${show(writer.type)} → ${show(reader.type)}`,
      },
    ];
  }
  // Every recorded enum value the new type allows: only the bounds remain, checked per value by the payload check.
  if (wroteValues) return [];
  const breaks = boundBreaks(writer, reader, field);
  if (writer.type === 'object' || reader.type === 'object')
    breaks.push(...objectBreaks(writer, reader, field, direction));
  if (reader.items !== undefined) {
    const wroteItems = (writer.items ?? {}) as JsonSchema;
    if (Array.isArray(reader.items) || Array.isArray(wroteItems))
      breaks.push({ field, kind: 'cannot prove', change: 'tuple items, which the rules cannot compare' });
    else breaks.push(...structuralBreaks(wroteItems, reader.items as JsonSchema, `${field}[]`, direction));
  }
  return breaks;
}
