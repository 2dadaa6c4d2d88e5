import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run bench:requests` writes what it counted and `fanout plan` reads it. */
export const MEASURED_REQUESTS_FILE = join(dirname(fileURLToPath(import.meta.url)), 'measured-requests.json');

/**
 * Calls per message, keyed `Service:Operation` (e.g. `DynamoDB:TransactWriteItems`), plus
 * `write:<table>` / `read:<table>`: DynamoDB write and read request units per message on that table.
 */
export type PerMessage = Readonly<Record<string, number>>;

export interface MeasuredEndpoint {
  /** What the consumer runtime (handler included) called per message of each event type it receives. */
  readonly byEventType: Readonly<Record<string, PerMessage>>;
}

export interface MeasuredRequests {
  readonly measuredAt: string;
  readonly commit: string;
  readonly command: string;
  readonly messagesPerEventType: number;
  readonly note: string;
  /** The publisher's calls per message of each event type (batched as it batches a burst). */
  readonly publisher: Readonly<Record<string, PerMessage>>;
  /** By endpoint name. */
  readonly endpoints: Readonly<Record<string, MeasuredEndpoint>>;
  /** Payloads too large for a message: the extra calls per claim-checked message. */
  readonly claimCheck: {
    readonly payloadBytes: number;
    readonly messages: number;
    readonly publisher: PerMessage;
    readonly consumers: Readonly<Record<string, PerMessage>>;
  };
}

/** The committed measurements, or undefined when the file is missing (every figure is then modelled). */
export function loadMeasuredRequests(file = MEASURED_REQUESTS_FILE): MeasuredRequests | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as MeasuredRequests;
}
