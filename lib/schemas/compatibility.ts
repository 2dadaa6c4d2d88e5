import type { SchemaCompatibility } from '../../topology/index.ts';
import { isDeepStrictEqual } from 'node:util';
import { Ajv, type ErrorObject } from 'ajv';
import fc from 'fast-check';
import { payloadArbitrary } from './payload-arbitrary.ts';
import { type Direction, type JsonSchema, type SchemaBreak, structuralBreaks } from './structural-rules.ts';

/** Context key naming event types whose schema change is accepted on purpose: comma-separated, or `*`. */
export const ACCEPT_SCHEMA_CHANGE_CONTEXT = 'fanout:acceptSchemaChange';

/** Payloads generated per event type and direction; a fixed seed keeps every synth's verdict the same. */
const PAYLOAD_RUNS = 200;
const SEED = 21;

const DIRECTIONS: Readonly<Record<SchemaCompatibility, readonly Direction[]>> = {
  backward: ['backward'],
  forward: ['forward'],
  full: ['backward', 'forward'],
  none: [],
};

const WHO_FAILS: Readonly<Record<Direction, string>> = {
  backward:
    'messages published under the recorded schema (still in queues, DLQs, archives, or from producers on old clients)',
  forward: 'messages published under the new schema, read by consumers still on the recorded one,',
};

function why(kind: SchemaBreak['kind'], direction: Direction): string {
  const who = WHO_FAILS[direction];
  switch (kind) {
    case 'removed field':
      return direction === 'backward'
        ? `${who} carry it and the new schema drops it, so consumers lose what it says`
        : `${who} would be rejected, since that schema does not allow the field`;
    case 'new required field':
      return `${who} lack it and would fail validation`;
    case 'cannot prove':
      return `the rules cannot show that ${who} would all pass`;
    default:
      return `${who} may hold values it no longer allows and would fail validation`;
  }
}

const FIXES: Readonly<Record<SchemaBreak['kind'], string>> = {
  'removed field': 'keep the field, as optional (v.optional) if producers stop sending it, or publish a new event type',
  'new required field':
    'make it optional (v.optional, with a default if consumers need one), or publish a new event type',
  'narrowed type': 'widen it back to what the recorded schema allowed, or publish a new event type',
  'changed type': 'keep the recorded type (a union with the new one widens it), or publish a new event type',
  'narrowed enum': 'keep every recorded value (add values, never remove them), or publish a new event type',
  'narrowed constraint': 'widen it back to what the recorded schema allowed, or publish a new event type',
  'cannot prove': 'make the change as a new optional field or a widened type or enum, or publish a new event type',
};

const line = (event: string, direction: Direction, b: SchemaBreak, accept: string) =>
  `event type '${event}', field '${b.field}' (${direction}): ${b.kind}, ${b.change}; ${why(b.kind, direction)}. ` +
  `Fix: ${FIXES[b.kind]}; or accept the change once with -c ${ACCEPT_SCHEMA_CHANGE_CONTEXT}=${accept}.`;

const fieldOf = (error: ErrorObject | undefined) =>
  (error?.instancePath ?? '')
    .split('/')
    .slice(1)
    .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('') || '(payload)';

/**
 * A payload `writer` accepts and `reader` rejects, among {@link PAYLOAD_RUNS} generated from `writer`
 * (shrunk to a small one), or undefined when every one passed.
 */
function payloadCounterexample(
  writer: JsonSchema,
  reader: JsonSchema,
): { payload: unknown; error: ErrorObject | undefined } | { unproven: true } | undefined {
  const ajv = new Ajv({ strict: false, validateFormats: false });
  const [valid, accepted] = [ajv.compile(writer), ajv.compile(reader)];
  const result = fc.check(
    fc.property(payloadArbitrary(writer), (payload) => {
      fc.pre(valid(payload));
      return accepted(payload);
    }),
    { seed: SEED, numRuns: PAYLOAD_RUNS },
  );
  if (!result.failed) return undefined;
  // Failed without a counterexample: too few generated payloads were valid to test anything.
  if (result.counterexample === null) return { unproven: true };
  const found = result.counterexample[0];
  accepted(found);
  return { payload: found, error: accepted.errors?.[0] ?? undefined };
}

/**
 * One line per way the change from `recorded` to `current` breaks `mode`: each structural break the
 * rules recognise, or, when the rules find none, a generated payload that proves them wrong.
 */
export function compatibilityProblems(
  event: string,
  recorded: JsonSchema,
  current: JsonSchema,
  mode: SchemaCompatibility,
): string[] {
  if (isDeepStrictEqual(recorded, current)) return [];
  return DIRECTIONS[mode].flatMap((direction) => {
    const [writer, reader] = direction === 'backward' ? [recorded, current] : [current, recorded];
    const breaks = structuralBreaks(writer, reader, '(payload)', direction);
    if (breaks.length > 0) return breaks.map((b) => line(event, direction, b, event));
    const counter = payloadCounterexample(writer, reader);
    if (!counter) return [];
    if ('unproven' in counter) {
      const change = `too few payloads generated from the ${direction === 'backward' ? 'recorded' : 'new'} schema were valid under it to test the change`;
      return [line(event, direction, { field: '(payload)', kind: 'cannot prove', change }, event)];
    }
    const change = `the payload ${JSON.stringify(counter.payload)} passes the ${direction === 'backward' ? 'recorded' : 'new'} schema and fails the other (${counter.error?.message ?? 'rejected'})`;
    return [line(event, direction, { field: fieldOf(counter.error), kind: 'cannot prove', change }, event)];
  });
}
