import { type CommittedFile, readCommittedFile, sortedByKey, writeIfChanged } from '../committed-file.ts';
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

const PLACEMENT_FILE: CommittedFile<PlacementRecord> = {
  what: 'placement file',
  shape: `version ${PLACEMENT_RECORD_VERSION} placement record (needs version, endpoints, stateful)`,
  empty: emptyPlacementRecord,
  isValid: (r) =>
    r.version === PLACEMENT_RECORD_VERSION && typeof r.endpoints === 'object' && typeof r.stateful === 'object',
  error: PlacementRecordError,
};

/** The record in `file`, or an empty one when the file does not exist yet. */
export const readPlacementFile = (file: string): PlacementRecord => readCommittedFile(file, PLACEMENT_FILE);

/** The record as the file holds it: keys sorted, so a diff shows exactly what changed. */
export function formatPlacementRecord(record: PlacementRecord): string {
  const stateful = Object.fromEntries(
    Object.entries(sortedByKey(record.stateful)).map(([key, id]) => [
      key,
      { ...id, replacedOn: sortedByKey(id.replacedOn) },
    ]),
  );
  return `${JSON.stringify({ version: record.version, endpoints: sortedByKey(record.endpoints), stateful }, undefined, 2)}\n`;
}

/** Writes the record when it differs from the file; returns whether it did. */
export const writePlacementFile = (file: string, record: PlacementRecord): boolean =>
  writeIfChanged(file, formatPlacementRecord(record));
