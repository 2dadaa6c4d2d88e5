import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CLAIM_CHECK,
  claimCheckBody,
  resolveClaimCheck,
  sha256Hex,
  type ClaimCheckPointer,
  type FetchObject,
} from '../topology/index.ts';

/** Stores a payload in the payload bucket and returns the pointer body that replaces it. */
export async function storeClaimCheck(
  s3: S3Client,
  bucket: string,
  eventType: string,
  payload: string,
): Promise<{ body: string; pointer: ClaimCheckPointer }> {
  const key = `${CLAIM_CHECK.keyPrefix}${eventType}/${randomUUID()}.json`;
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: payload, ContentType: 'application/json' }));
  const pointer: ClaimCheckPointer = {
    bucket,
    key,
    size: Buffer.byteLength(payload, 'utf8'),
    sha256: sha256Hex(payload),
  };
  return { body: claimCheckBody(pointer), pointer };
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
