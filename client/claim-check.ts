import { randomUUID } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  CLAIM_CHECK,
  claimCheckBody,
  resolveClaimCheck,
  sha256Hex,
  type ClaimCheckPointer,
  type FetchObject,
} from '../contracts/index.ts';

/** A payload's claim-check, decided before anything is stored: the pointer body that replaces it. */
export interface ClaimCheck {
  readonly body: string;
  readonly pointer: ClaimCheckPointer;
  readonly payload: string;
}

/** The pointer a payload will get, so the message's final size is known before the upload. */
export function planClaimCheck(bucket: string, eventType: string, payload: string): ClaimCheck {
  const key = `${CLAIM_CHECK.keyPrefix}${eventType}/${randomUUID()}.json`;
  const pointer: ClaimCheckPointer = {
    bucket,
    key,
    size: Buffer.byteLength(payload, 'utf8'),
    sha256: sha256Hex(payload),
  };
  return { body: claimCheckBody(pointer), pointer, payload };
}

/** Stores the payload where its pointer says. */
export async function storeClaimCheck(s3: S3Client, claim: ClaimCheck): Promise<void> {
  const { bucket, key } = claim.pointer;
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: claim.payload, ContentType: 'application/json' }),
  );
}

/** Removes the payload of a message that was never sent. */
export async function deleteClaimCheck(s3: S3Client, claim: ClaimCheck): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: claim.pointer.bucket, Key: claim.pointer.key }));
}

/** An S3 `FetchObject` for `resolveClaimCheck` (what the consumer runtime uses too). */
export function s3FetchObject(s3: S3Client): FetchObject {
  return async (bucket, key) => {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return object.Body!.transformToString('utf8');
  };
}

/** A received message's real body, whether inline or claim-checked. */
export function resolveMessageBody(
  s3: S3Client,
  body: string,
  attributes: Readonly<Record<string, { StringValue?: string } | undefined>> | undefined,
): Promise<string> {
  return resolveClaimCheck(body, attributes?.[CLAIM_CHECK.attribute]?.StringValue, s3FetchObject(s3));
}

/**
 * Restarts a claim-check payload's life: copies the object onto itself, which gives it a new creation
 * date, so the payload bucket's expiry (days after creation) counts again from now. A replay calls it
 * for every claim-checked message it moves: the moved copy can live a whole queue (and DLQ) retention
 * again, and its payload now outlives it.
 * @returns false when the object is gone (expired or deleted): the message cannot be replayed
 */
export async function renewClaimCheck(s3: S3Client, pointer: ClaimCheckPointer): Promise<boolean> {
  try {
    await s3.send(
      new CopyObjectCommand({
        Bucket: pointer.bucket,
        Key: pointer.key,
        CopySource: `${pointer.bucket}/${encodeURIComponent(pointer.key).replace(/%2F/g, '/')}`,
        MetadataDirective: 'REPLACE',
        ContentType: 'application/json',
        Metadata: { [CLAIM_CHECK.renewedMetadata]: new Date().toISOString() },
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey' || (error as { name?: string }).name === 'NotFound')
      return false;
    throw error;
  }
}
