import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PlacementRecordError } from '../errors.ts';

/**
 * What earlier syntheses decided and deployed, committed next to the topology: which stack each
 * endpoint lives in and how CloudFormation identifies every stateful resource. Synthesis keeps every
 * recorded endpoint where it is and reports any change that would replace a recorded resource.
 */
export interface PlacementRecord {
  readonly version: typeof PLACEMENT_RECORD_VERSION;
  /** Endpoint name → its stack: 0 is the root stack, k ≥ 1 the nested stack `Endpoints<k>`. */
  readonly endpoints: Readonly<Record<string, number>>;
  /** Construct path inside its stack → the stateful resource's identity. */
  readonly stateful: Readonly<Record<string, StatefulIdentity>>;
}

export interface StatefulIdentity {
  /** The stack holding it (as in `endpoints`). */
  readonly stack: number;
  readonly type: string;
  readonly logicalId: string;
  /** Properties whose change makes CloudFormation replace the resource (strings as they are, others as JSON; the stage prefix as `${prefix}`). */
  readonly replacedOn: Readonly<Record<string, string>>;
}

export const PLACEMENT_RECORD_VERSION = 1;

export const emptyPlacementRecord = (): PlacementRecord => ({
  version: PLACEMENT_RECORD_VERSION,
  endpoints: {},
  stateful: {},
});

/** The record in `file`, or an empty one when the file does not exist yet. */
export function readPlacementFile(file: string): PlacementRecord {
  if (!existsSync(file)) return emptyPlacementRecord();
  let record: Partial<PlacementRecord>;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as Partial<PlacementRecord>;
  } catch (error) {
    throw new PlacementRecordError(
      `placement file ${file} is not JSON (${(error as Error).message}). Fix: restore it from version control; it is written by synthesis.`,
      { cause: error },
    );
  }
  if (
    record.version !== PLACEMENT_RECORD_VERSION ||
    typeof record.endpoints !== 'object' ||
    typeof record.stateful !== 'object'
  ) {
    throw new PlacementRecordError(
      `placement file ${file} is not a version ${PLACEMENT_RECORD_VERSION} placement record (needs version, endpoints, stateful). Fix: restore it from version control.`,
    );
  }
  return record as PlacementRecord;
}

const sorted = <T>(entries: Readonly<Record<string, T>>): Record<string, T> =>
  Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The record as the file holds it: keys sorted, so a diff shows exactly what changed. */
export function formatPlacementRecord(record: PlacementRecord): string {
  const stateful = Object.fromEntries(
    Object.entries(sorted(record.stateful)).map(([key, id]) => [key, { ...id, replacedOn: sorted(id.replacedOn) }]),
  );
  return `${JSON.stringify({ version: record.version, endpoints: sorted(record.endpoints), stateful }, undefined, 2)}\n`;
}

/** Writes the record when it differs from the file; returns whether it did. */
export function writePlacementFile(file: string, record: PlacementRecord): boolean {
  const text = formatPlacementRecord(record);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  writeFileSync(file, text);
  return true;
}
