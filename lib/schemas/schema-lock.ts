import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

/** The lock in `file`, or an empty one when the file does not exist yet. */
export function readSchemaLock(file: string): SchemaLock {
  if (!existsSync(file)) return emptySchemaLock();
  let lock: Partial<SchemaLock>;
  try {
    lock = JSON.parse(readFileSync(file, 'utf8')) as Partial<SchemaLock>;
  } catch (error) {
    throw new SchemaLockError(
      `schema lock ${file} is not JSON (${(error as Error).message}). Fix: restore it from version control; it is written by synthesis.`,
      { cause: error },
    );
  }
  if (lock.version !== SCHEMA_LOCK_VERSION || typeof lock.events !== 'object' || lock.events === null) {
    throw new SchemaLockError(
      `schema lock ${file} is not a version ${SCHEMA_LOCK_VERSION} schema lock (needs version, events). Fix: restore it from version control.`,
    );
  }
  return lock as SchemaLock;
}

/** The lock as the file holds it: event types sorted, so a diff shows exactly what changed. */
function formatSchemaLock(lock: SchemaLock): string {
  const events = Object.fromEntries(Object.entries(lock.events).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ version: lock.version, events }, undefined, 2)}\n`;
}

/** Writes the lock when it differs from the file; returns whether it did. */
export function writeSchemaLock(file: string, lock: SchemaLock): boolean {
  const text = formatSchemaLock(lock);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  writeFileSync(file, text);
  return true;
}
