import { type CommittedFile, readCommittedFile, sortedByKey, writeIfChanged } from '../committed-file.ts';
import type { SchemaCompatibility } from '../../topology/index.ts';
import { SchemaLockError } from '../errors.ts';
import type { JsonSchema } from './structural-rules.ts';

/**
 * The schema of every event type as the last synthesis accepted it, committed next to the topology:
 * messages outlive deployments, so the next schema is checked against this one.
 */
export interface SchemaLock {
  readonly version: typeof SCHEMA_LOCK_VERSION;
  readonly events: Readonly<Record<string, LockedSchema>>;
}

export interface LockedSchema {
  readonly compatibility: SchemaCompatibility;
  /** The JSON Schema of the event's valibot schema. */
  readonly schema: JsonSchema;
}

export const SCHEMA_LOCK_VERSION = 1;

const emptySchemaLock = (): SchemaLock => ({ version: SCHEMA_LOCK_VERSION, events: {} });

const SCHEMA_LOCK_FILE: CommittedFile<SchemaLock> = {
  what: 'schema lock',
  shape: `version ${SCHEMA_LOCK_VERSION} schema lock (needs version, events)`,
  empty: emptySchemaLock,
  isValid: (l) => l.version === SCHEMA_LOCK_VERSION && typeof l.events === 'object' && l.events !== null,
  error: SchemaLockError,
};

/** The lock in `file`, or an empty one when the file does not exist yet. */
export const readSchemaLock = (file: string): SchemaLock => readCommittedFile(file, SCHEMA_LOCK_FILE);

/** The lock as the file holds it: event types sorted, so a diff shows exactly what changed. */
function formatSchemaLock(lock: SchemaLock): string {
  return `${JSON.stringify({ version: lock.version, events: sortedByKey(lock.events) }, undefined, 2)}\n`;
}

/** Writes the lock when it differs from the file; returns whether it did. */
export const writeSchemaLock = (file: string, lock: SchemaLock): boolean =>
  writeIfChanged(file, formatSchemaLock(lock));
