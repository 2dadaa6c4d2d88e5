import type { ClaimCheckPointer } from '../../../contracts/runtime.ts';

/**
 * Persistence of idempotency records. A backend implements three fenced operations; the lease
 * token makes every write after `acquire` conditional on still owning the record.
 */
export interface IdempotencyStore {
  /**
   * Takes the record for `key` when it is absent, expired (`expiresAt` past) or an in-progress lock
   * of the same payload whose lease has ended; otherwise reports what holds it. One request on the
   * normal path.
   */
  acquire(request: AcquireRequest): Promise<AcquireResult>;
  /** Marks the record completed with `result`, only if `token` still holds it. */
  complete(request: CompleteRequest): Promise<FencedWriteResult>;
  /** Gives the lock up after a failure (the record may be taken at once), only if `token` holds it. */
  release(request: ReleaseRequest): Promise<FencedWriteResult>;
}

export interface AcquireRequest {
  readonly key: string;
  /** Unique per attempt: fences every later write. */
  readonly token: string;
  /** Epoch ms after which another attempt may take the lock over (the invocation deadline). */
  readonly leaseExpiresAtMs: number;
  /** Epoch seconds the record may be deleted (TTL) if its holder never finishes. */
  readonly expiresAtSeconds: number;
  readonly nowMs: number;
  /** Fingerprint of the payload: a holder with another one is a different message under the same key. */
  readonly fingerprint: string;
  /** Fingerprint of the reply queue that asked (request/reply). @default - none */
  readonly requester?: string;
  /** The producer's key attribute, as recorded. @default - none sent */
  readonly producerKey?: string;
  /** When the message was published (epoch ms), for the replay tools' window. @default - unknown */
  readonly publishedAtMs?: number;
}

/**
 * What a record keeps of a handler's result, for answering a repeated request: its JSON inline, a
 * claim-check pointer to the reply body in the payload bucket (too large to keep inline), or the
 * error a repeated request is answered with (it could be kept nowhere).
 */
export type KeptResult =
  | { readonly json: string }
  | { readonly claimCheck: ClaimCheckPointer }
  | { readonly notKept: string };

/** What the holder of a record was recorded with (absent on records of older releases). */
export interface HolderIdentity {
  readonly fingerprint?: string;
  readonly requester?: string;
  readonly producerKey?: string;
}

export type AcquireResult =
  | { readonly status: 'acquired' }
  | ({ readonly status: 'completed'; readonly result?: KeptResult } & HolderIdentity)
  | ({ readonly status: 'in-progress'; readonly leaseExpiresAtMs: number } & HolderIdentity);

/** What holds a record someone else took. */
export type HeldRecord = Exclude<AcquireResult, { readonly status: 'acquired' }>;

export interface CompleteRequest {
  readonly key: string;
  readonly token: string;
  /** The handler's return value, as kept. @default - none stored */
  readonly result?: KeptResult;
  /** Epoch seconds the completed record stops counting (and TTL may delete it). */
  readonly expiresAtSeconds: number;
}

export interface ReleaseRequest {
  readonly key: string;
  readonly token: string;
}

/** `lost`: another attempt took the record over after this one's lease ended. */
export type FencedWriteResult = 'ok' | 'lost';

/** A record created completed, in one transaction with the message's staged writes. */
export interface CompletedRecord {
  readonly key: string;
  readonly fingerprint: string;
  readonly requester?: string;
  /** The producer's key attribute, as recorded. @default - none sent */
  readonly producerKey?: string;
  /** The handler's result as kept (request/reply answers duplicates with it). */
  readonly result?: KeptResult;
  readonly expiresAtSeconds: number;
  readonly nowMs: number;
  /** When the message was published (epoch ms), for the replay tools' window. @default - unknown */
  readonly publishedAtMs?: number;
}
