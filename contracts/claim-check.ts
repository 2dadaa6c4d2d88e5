import { sha256Hex } from './sha256.ts';

/**
 * Claim-check contract between the publisher (client/) and the consumer runtime (lambdas/runtime).
 * A payload too large for a message is stored in the stack's payload bucket (output
 * `PayloadBucketName`); the message then carries:
 * - the message attribute `fanoutClaimCheck` = `v1` (String), and
 * - a small JSON body `{"fanoutClaimCheck":{"bucket","key","size","sha256"}}`.
 * Every other attribute (`eventType`, `correlationId`, the producer key) is kept, so filter
 * policies and idempotency work unchanged. The runtime calls `resolveClaimCheck` before decoding.
 */
export const CLAIM_CHECK = {
  /** Message attribute marking a pointer body. */
  attribute: 'fanoutClaimCheck',
  /** Value of that attribute for the pointer shape below. */
  version: 'v1',
  /** Object key prefix inside the payload bucket (the bucket's lifecycle rule targets it). */
  keyPrefix: 'claim-check/',
  /** Object metadata naming when a replay last renewed the payload (`x-amz-meta-fanout-renewed-at`). */
  renewedMetadata: 'fanout-renewed-at',
} as const;

export interface ClaimCheckPointer {
  readonly bucket: string;
  readonly key: string;
  /** Size of the stored payload in bytes. */
  readonly size: number;
  /** Hex SHA-256 of the stored payload, checked when resolving. */
  readonly sha256: string;
}

export class ClaimCheckError extends Error {
  override readonly name = 'ClaimCheckError';
}

export function claimCheckBody(pointer: ClaimCheckPointer): string {
  return JSON.stringify({ [CLAIM_CHECK.attribute]: pointer });
}

/** The pointer a message carries, or undefined when the message holds its payload inline. */
export function readClaimCheckPointer(body: string, attributeValue: string | undefined): ClaimCheckPointer | undefined {
  if (attributeValue === undefined) return undefined;
  if (attributeValue !== CLAIM_CHECK.version) {
    throw new ClaimCheckError(
      `Message attribute '${CLAIM_CHECK.attribute}' is '${attributeValue}', expected '${CLAIM_CHECK.version}'. ` +
        `Fix: upgrade the consumer runtime to read claim-check pointers of this version.`,
    );
  }
  const parsed = JSON.parse(body) as Record<string, unknown>;
  const pointer = parsed[CLAIM_CHECK.attribute] as Partial<ClaimCheckPointer> | undefined;
  if (
    !pointer ||
    typeof pointer.bucket !== 'string' ||
    typeof pointer.key !== 'string' ||
    typeof pointer.size !== 'number' ||
    typeof pointer.sha256 !== 'string'
  ) {
    throw new ClaimCheckError(
      `Message marked '${CLAIM_CHECK.attribute}=${CLAIM_CHECK.version}' has no valid pointer body ` +
        `(expected {"${CLAIM_CHECK.attribute}":{"bucket","key","size","sha256"}}).`,
    );
  }
  return pointer as ClaimCheckPointer;
}

/** Reads an object's text; the runtime passes an S3 GetObject, tests pass anything. */
export type FetchObject = (bucket: string, key: string) => Promise<string>;

/**
 * Returns the message's real payload: the body itself, or the stored object a pointer names
 * (verified against the pointer's size and SHA-256).
 */
export async function resolveClaimCheck(
  body: string,
  attributeValue: string | undefined,
  fetchObject: FetchObject,
): Promise<string> {
  const pointer = readClaimCheckPointer(body, attributeValue);
  if (!pointer) return body;
  const payload = await fetchObject(pointer.bucket, pointer.key);
  const size = Buffer.byteLength(payload, 'utf8');
  if (size !== pointer.size || sha256Hex(payload) !== pointer.sha256) {
    throw new ClaimCheckError(
      `Claim-check object s3://${pointer.bucket}/${pointer.key} does not match its pointer ` +
        `(size ${size}, expected ${pointer.size}; or SHA-256 differs). The object was changed or truncated.`,
    );
  }
  return payload;
}
