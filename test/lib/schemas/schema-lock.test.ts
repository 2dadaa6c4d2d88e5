import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { afterAll, describe, expect, it } from 'vitest';
import { createFanoutApp } from '../../../lib/app.ts';
import type { SchemaLock } from '../../../lib/schemas/schema-lock.ts';
import type { EventTypeSpec, Topology } from '../../../topology/types.ts';
import { handlersOf } from '../../fixtures/app/handlers.ts';

const dir = mkdtempSync(join(tmpdir(), 'fanout-schemas-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TaskRequested = { jobId: v.string(), kind: v.picklist(['count', 'sum']) };
const topologyWith = (task: EventTypeSpec): Topology => ({
  name: 'fanout',
  events: { TaskRequested: task },
  topics: [],
  workQueues: [{ name: 'jobs', events: ['TaskRequested'], consumer: { handler: 'jobs' } }],
});

/** Synthesizes (no bundling, no cdk-nag) against the schema lock in `schemaFile`; returns the lock it leaves. */
function synth(schemaFile: string, task: EventTypeSpec, context: Record<string, unknown> = {}): SchemaLock {
  const topology = topologyWith(task);
  createFanoutApp({
    handlers: handlersOf(topology),
    topology,
    context: { stage: 'dev', 'aws:cdk:bundling-stacks': [], ...context },
    nag: false,
    outdir: join(dir, 'out'),
    cloudFormationValidation: false,
    schemaFile,
  });
  return JSON.parse(readFileSync(schemaFile, 'utf8')) as SchemaLock;
}

let files = 0;
const lockFile = () => join(dir, `schemas-${files++}.json`);

describe('the schema lock', () => {
  it('the first synth records every event type with its mode; a compatible change synthesizes and updates it', () => {
    const file = lockFile();
    expect(synth(file, { schema: v.object(TaskRequested) }).events.TaskRequested).toEqual({
      compatibility: 'backward',
      schema: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: { jobId: { type: 'string' }, kind: { type: 'string', enum: ['count', 'sum'] } },
        required: ['jobId', 'kind'],
      },
    });
    const widened = v.object({
      ...TaskRequested,
      kind: v.picklist(['count', 'sum', 'hash']),
      tenant: v.optional(v.string()),
    });
    const lock = synth(file, { schema: widened });
    expect(lock.events.TaskRequested!.schema.properties).toEqual({
      jobId: { type: 'string' },
      kind: { type: 'string', enum: ['count', 'sum', 'hash'] },
      tenant: { type: 'string' },
    });
  });

  it('an incompatible change fails the synth with one line per problem and leaves the lock as it was', () => {
    const file = lockFile();
    synth(file, { schema: v.object(TaskRequested) });
    const before = readFileSync(file, 'utf8');
    const broken = v.object({ jobId: v.number(), kind: TaskRequested.kind, priority: v.number() });
    expect(() => synth(file, { schema: broken })).toThrow(
      /^2 schema change\(s\) would turn messages already published into poison:\n {2}- event type 'TaskRequested', field 'priority' \(backward\): new required field, 'priority' added as required; .*\n {2}- event type 'TaskRequested', field 'jobId' \(backward\): changed type, "string" → "number"; .*-c fanout:acceptSchemaChange=TaskRequested\.$/,
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('compatibility none records the schema without checking it', () => {
    const file = lockFile();
    synth(file, { schema: v.object(TaskRequested), compatibility: 'none' });
    expect(
      synth(file, { schema: v.object({ jobId: v.number() }), compatibility: 'none' }).events.TaskRequested!.schema
        .properties,
    ).toEqual({
      jobId: { type: 'number' },
    });
  });

  it('-c fanout:acceptSchemaChange accepts a change once: it is recorded, so the next synth passes without the flag', () => {
    const file = lockFile();
    synth(file, { schema: v.object(TaskRequested) });
    const renamed = v.object({ taskId: v.string(), kind: TaskRequested.kind });
    expect(() => synth(file, { schema: renamed })).toThrow("field 'taskId' (backward): new required field");
    synth(file, { schema: renamed }, { 'fanout:acceptSchemaChange': 'TaskRequested' });
    expect(Object.keys(synth(file, { schema: renamed }).events.TaskRequested!.schema.properties as object)).toEqual([
      'taskId',
      'kind',
    ]);
    const narrowed = v.object({ taskId: v.string(), kind: v.picklist(['count']) });
    expect(() => synth(file, { schema: narrowed })).toThrow("field 'kind' (backward): narrowed enum");
    expect(() => synth(file, { schema: narrowed }, { 'fanout:acceptSchemaChange': '*' })).not.toThrow();
  });

  it('a compatibility mode the topology does not know fails validation with its rule', () => {
    expect(() => synth(lockFile(), { schema: v.object(TaskRequested), compatibility: 'sideways' as never })).toThrow(
      "event type 'TaskRequested': compatibility must be one of backward, forward, full, none (given \"sideways\"). Fix: use 'backward' (the default) unless old consumers must read new messages ('forward', 'full') or no check is wanted ('none').",
    );
  });
});
