import { CLAIM_CHECK, ClaimCheckError, resolveClaimCheck, type FetchObject } from '../../contracts/runtime.ts';
import { loadS3 } from './clients.ts';
import type { UnwrappedMessage } from './decode.ts';
import { MalformedMessageError } from './errors.ts';

let client: import('@aws-sdk/client-s3').S3Client | undefined;

async function s3Client(): Promise<import('@aws-sdk/client-s3').S3Client> {
  const { S3Client } = await loadS3();
  // A bare custom endpoint (http://127.0.0.1:port) is addressed path-style: bucket subdomains need no DNS.
  // An `s3.<host>` endpoint (the local cloud's s3.localhost) serves bucket subdomains, as AWS does.
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  client ??= new S3Client({ forcePathStyle: endpoint !== undefined && !new URL(endpoint).hostname.startsWith('s3.') });
  return client;
}

/** Stores an object (a reply too large for a message); the runtime passes an S3 PutObject, tests pass anything. */
export type StoreObject = (bucket: string, key: string, body: string) => Promise<void>;

/** Reads a claim-check payload from S3 with the default client. */
export const fetchFromS3: FetchObject = async (bucket, key) => {
  const { GetObjectCommand } = await loadS3();
  const { Body } = await (await s3Client()).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!Body) throw new ClaimCheckError(`Claim-check object s3://${bucket}/${key} has no body`);
  return Body.transformToString('utf8');
};

/** Stores an object in S3 with the default client. */
export const storeToS3: StoreObject = async (bucket, key, body) => {
  const { PutObjectCommand } = await loadS3();
  await (await s3Client()).send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
  );
};

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
