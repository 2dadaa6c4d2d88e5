import { toJsonSchema } from '@valibot/to-json-schema';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { compatibilityProblems } from '../../../lib/schemas/compatibility.ts';
import { payloadArbitrary } from '../../../lib/schemas/payload-arbitrary.ts';
import type { JsonSchema } from '../../../lib/schemas/structural-rules.ts';

// Schemas of the shapes event payloads take: objects of bounded strings, integers, numbers, booleans and enums.
const field: fc.Arbitrary<JsonSchema> = fc.oneof(
  fc.record({ type: fc.constant('string'), minLength: fc.nat(3), maxLength: fc.integer({ min: 3, max: 20 }) }),
  fc.record({ type: fc.constantFrom('integer', 'number'), minimum: fc.integer({ min: -5, max: 5 }) }),
  fc.record({ type: fc.constant('boolean') }),
  fc.record({
    type: fc.constant('string'),
    enum: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1 }),
  }),
);
const objectSchema = fc
  .dictionary(fc.constantFrom('id', 'sku', 'count', 'kind', 'note'), field, { minKeys: 1 })
  .chain((properties) =>
    fc.subarray(Object.keys(properties)).map((required) => ({ type: 'object', properties, required }) as JsonSchema),
  );

type Props = Record<string, JsonSchema>;
const propsOf = (s: JsonSchema) => s.properties as Props;
const withField = (s: JsonSchema, name: string, f: JsonSchema | undefined, required = s.required as string[]) => {
  const properties: Props = { ...propsOf(s) };
  if (f) properties[name] = f;
  else delete properties[name];
  return { ...s, properties, required: required.filter((r) => r in properties) };
};

const narrowed = (f: JsonSchema): JsonSchema =>
  f.enum
    ? { ...f, enum: (f.enum as string[]).slice(1) }
    : f.type === 'string'
      ? { ...f, maxLength: 2 }
      : f.type === 'boolean'
        ? { ...f, enum: [true] }
        : { ...f, maximum: -6 };

/** A change of one field and whether the rules must call it compatible. */
const change = objectSchema.chain((old) =>
  fc.tuple(fc.constant(old), fc.constantFrom(...Object.keys(propsOf(old))), fc.nat(5)).map(([, name, pick]) => {
    const f = propsOf(old)[name]!;
    const required = old.required as string[];
    const mutations: [JsonSchema, boolean][] = [
      [withField(old, 'added', { type: 'string' }), true],
      [withField(old, 'added', { type: 'string' }, [...required, 'added']), false],
      [withField(old, name, undefined), false],
      [withField(old, name, { ...f, type: f.type === 'boolean' ? 'string' : 'boolean', enum: undefined }), false],
      [
        withField(
          old,
          name,
          f.enum ? { ...f, enum: [...(f.enum as string[]), 'z'] } : { ...f, minLength: undefined, minimum: undefined },
        ),
        true,
      ],
      [withField(old, name, narrowed(f)), false],
    ];
    const [next, compatible] = mutations[pick]!;
    return { old, next: JSON.parse(JSON.stringify(next)) as JsonSchema, compatible };
  }),
);

describe('the compatibility checker (property-based)', () => {
  it('calls widenings compatible and every narrowing, removal and new required field incompatible', () => {
    fc.assert(
      fc.property(change, ({ old, next, compatible }) => {
        expect(compatibilityProblems('E', old, next, 'backward').length === 0).toBe(compatible);
      }),
      { numRuns: 200 },
    );
  });

  it('never calls a change compatible when a payload valid under the recorded schema fails the new one', () => {
    const ajv = new Ajv({ strict: false });
    fc.assert(
      fc.property(change, ({ old, next }) => {
        fc.pre(compatibilityProblems('E', old, next, 'backward').length === 0);
        const [valid, accepted] = [ajv.compile(old), ajv.compile(next)];
        for (const payload of fc.sample(payloadArbitrary(old), { numRuns: 200, seed: 7 }))
          if (valid(payload)) expect(accepted(payload), JSON.stringify(payload)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('payloads generated for a string format', () => {
  // Every format valibot's JSON Schema conversion writes, with the valibot check that wrote it.
  const formats = {
    email: v.email(),
    uuid: v.uuid(),
    'date-time': v.isoTimestamp(),
    date: v.isoDate(),
    time: v.isoTime(),
    uri: v.url(),
    ipv4: v.ipv4(),
    ipv6: v.ipv6(),
  } as const;

  it.each(Object.entries(formats))('%s: valibot accepts every value, as a producer would send it', (format, check) => {
    const schema = v.pipe(v.string(), check);
    const json = toJsonSchema(schema, { errorMode: 'throw' }) as JsonSchema;
    expect(json.format).toBe(format);
    fc.assert(
      fc.property(payloadArbitrary(json), (value) => {
        expect(v.safeParse(schema, value).issues).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});
