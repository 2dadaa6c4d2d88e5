import { CLAIM_CHECK, ClaimCheckError, resolveClaimCheck, type FetchObject } from '../../contracts/runtime.ts';
import { loadS3 } from './clients.ts';
import type { UnwrappedMessage } from './decode.ts';
import { MalformedMessageError } from './errors.ts';

type S3Client = import('@aws-sdk/client-s3').S3Client;

/** Stores an object (a reply too large for a message); the runtime passes an S3 PutObject, tests pass anything. */
export type StoreObject = (bucket: string, key: string, body: string) => Promise<void>;

/** Reads claim-check payloads and stores large replies through `client` (loaded on first use). */
export function s3Objects(client: () => Promise<S3Client>): {
  readonly fetchObject: FetchObject;
  readonly storeObject: StoreObject;
} {
  return {
    fetchObject: async (bucket, key) => {
      const { GetObjectCommand } = await loadS3();
      const { Body } = await (await client()).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!Body) throw new ClaimCheckError(`Claim-check object s3://${bucket}/${key} has no body`);
      return Body.transformToString('utf8');
    },
    storeObject: async (bucket, key, body) => {
      const { PutObjectCommand } = await loadS3();
      await (await client()).send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
      );
    },
  };
}

/** The message's payload text: inline, or fetched when the message is a claim-check pointer. */
export async function payloadText(message: UnwrappedMessage, fetchObject: FetchObject): Promise<string> {
  const marker = message.attributes[CLAIM_CHECK.attribute];
  if (marker === undefined) return message.text;
  try {
    return await resolveClaimCheck(message.text, marker, fetchObject);
  } catch (error) {
    if (error instanceof ClaimCheckError || error instanceof SyntaxError) {
      throw new MalformedMessageError(`claim-check pointer unusable: ${error.message}`);
    }
    throw error;
  }
}
