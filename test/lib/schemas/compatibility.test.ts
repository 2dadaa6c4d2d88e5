import { toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { compatibilityProblems } from '../../../lib/schemas/compatibility.ts';
import type { JsonSchema } from '../../../lib/schemas/structural-rules.ts';

const json = (schema: v.GenericSchema) => toJsonSchema(schema) as JsonSchema;
const sku = v.pipe(v.string(), v.minLength(1));
const recorded = v.object({
  orderId: v.string(),
  sku,
  quantity: v.pipe(v.number(), v.integer(), v.minValue(1)),
  amount: v.number(),
  status: v.picklist(['placed', 'paid']),
  note: v.optional(v.string()),
});
const { entries } = recorded;
const problems = (next: v.GenericSchema, mode: 'backward' | 'forward' | 'full' = 'backward') =>
  compatibilityProblems('CartPlaced', json(recorded), json(next), mode);
const ACCEPT = '; or accept the change once with -c fanout:acceptSchemaChange=CartPlaced.';
const OLD =
  'messages published under the recorded schema (still in queues, DLQs, archives, or from producers on old clients)';

describe('backward compatibility (the default): the new schema accepts every recorded payload', () => {
  it('an unchanged schema, a new optional field and a widened enum are compatible', () => {
    expect(problems(recorded)).toEqual([]);
    expect(problems(v.object({ ...entries, giftWrap: v.optional(v.boolean()) }))).toEqual([]);
    expect(problems(v.object({ ...entries, status: v.picklist(['placed', 'paid', 'refunded']) }))).toEqual([]);
    expect(problems(v.object({ ...entries, quantity: v.pipe(v.number(), v.minValue(0)) }))).toEqual([]);
  });

  it('a removed field', () => {
    const { orderId: _orderId, ...rest } = entries;
    expect(problems(v.object(rest))).toEqual([
      `event type 'CartPlaced', field 'orderId' (backward): removed field, 'orderId' removed; ${OLD} carry it and the new schema drops it, so consumers lose what it says. Fix: keep the field, as optional (v.optional) if producers stop sending it, or publish a new event type${ACCEPT}`,
    ]);
  });

  it('a new required field', () => {
    expect(problems(v.object({ ...entries, currency: v.string() }))).toEqual([
      `event type 'CartPlaced', field 'currency' (backward): new required field, 'currency' added as required; ${OLD} lack it and would fail validation. Fix: make it optional (v.optional, with a default if consumers need one), or publish a new event type${ACCEPT}`,
    ]);
  });

  it('a narrowed type, a narrowed enum, a narrowed constraint and a changed type', () => {
    const narrowed = `${OLD} may hold values it no longer allows and would fail validation.`;
    expect(problems(v.object({ ...entries, amount: v.pipe(v.number(), v.integer()) }))).toEqual([
      `event type 'CartPlaced', field 'amount' (backward): narrowed type, "number" → "integer"; ${narrowed} Fix: widen it back to what the recorded schema allowed, or publish a new event type${ACCEPT}`,
    ]);
    expect(problems(v.object({ ...entries, status: v.picklist(['placed']) }))).toEqual([
      `event type 'CartPlaced', field 'status' (backward): narrowed enum, "paid" no longer allowed; ${narrowed} Fix: keep every recorded value (add values, never remove them), or publish a new event type${ACCEPT}`,
    ]);
    expect(problems(v.object({ ...entries, sku: v.pipe(v.string(), v.minLength(1), v.maxLength(8)) }))).toEqual([
      `event type 'CartPlaced', field 'sku' (backward): narrowed constraint, maxLength (none) → 8; ${narrowed} Fix: widen it back to what the recorded schema allowed, or publish a new event type${ACCEPT}`,
    ]);
    expect(problems(v.object({ ...entries, orderId: v.number() }))).toEqual([
      `event type 'CartPlaced', field 'orderId' (backward): changed type, "string" → "number"; ${narrowed} Fix: keep the recorded type (a union with the new one widens it), or publish a new event type${ACCEPT}`,
    ]);
  });

  it('refuses a change the rules cannot compare as "cannot prove"', () => {
    expect(problems(v.object({ ...entries, orderId: v.union([v.string(), v.number()]) }))).toEqual([
      `event type 'CartPlaced', field 'orderId' (backward): cannot prove, the schema uses anyOf, which the rules cannot compare; the rules cannot show that ${OLD} would all pass. Fix: make the change as a new optional field or a widened type or enum, or publish a new event type${ACCEPT}`,
    ]);
  });
});

describe('generated payloads', () => {
  it('catch what the rules let through: an enum widened to a string too short for a recorded value', () => {
    const next = v.object({ ...entries, status: v.pipe(v.string(), v.maxLength(4)) });
    expect(problems(next)).toEqual([
      `event type 'CartPlaced', field 'status' (backward): cannot prove, the payload {"orderId":"","sku":" ","quantity":1,"amount":0,"status":"placed"} passes the recorded schema and fails the other (must NOT have more than 4 characters); the rules cannot show that ${OLD} would all pass. Fix: make the change as a new optional field or a widened type or enum, or publish a new event type${ACCEPT}`,
    ]);
  });
});

describe('forward and full', () => {
  it('forward: a new required field is fine (recorded consumers ignore it), a widened enum is not', () => {
    expect(problems(v.object({ ...entries, currency: v.string() }), 'forward')).toEqual([]);
    expect(problems(v.object({ ...entries, status: v.picklist(['placed', 'paid', 'refunded']) }), 'forward')).toEqual([
      expect.stringMatching(
        /^event type 'CartPlaced', field 'status' \(forward\): narrowed enum, "refunded" no longer allowed;/,
      ),
    ]);
  });

  it('full: both directions, a line for each', () => {
    expect(problems(v.object({ ...entries, giftWrap: v.optional(v.boolean()) }), 'full')).toEqual([]);
    const lines = problems(v.object({ ...entries, status: v.picklist(['placed', 'refunded']) }), 'full');
    expect(lines.map((l) => /\((\w+)\): ([^,]+), ([^;]+)/.exec(l)?.slice(1))).toEqual([
      ['backward', 'narrowed enum', '"paid" no longer allowed'],
      ['forward', 'narrowed enum', '"refunded" no longer allowed'],
    ]);
  });
});

describe('a change no generated payload can test', () => {
  it('is refused as "cannot prove", never passed untested', () => {
    // The generator cannot aim at multipleOf: nearly every integer it draws is invalid and discarded.
    const before = v.object({ units: v.pipe(v.number(), v.integer(), v.multipleOf(7919)) });
    const after = v.object({ ...before.entries, note: v.optional(v.string()) });
    const lines = compatibilityProblems('Pallet', json(before), json(after), 'backward');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('too few payloads generated from the recorded schema were valid under it');
  });
});
