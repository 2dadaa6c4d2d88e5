import { randomUUID } from 'node:crypto';
import { CONSUMER_ENV, replyObjectKeyPrefix, sha256Hex } from '../../../contracts/runtime.ts';
import type { InvocationScope } from '../definition.ts';
import { errorMessage } from '../errors.ts';
import { RUNTIME_DEFAULTS } from '../limits.ts';
import type { KeptResult } from './store.ts';

type KeepScope = Pick<InvocationScope, 'config' | 'storeObject'>;

/**
 * What a record keeps of `value`: its JSON inline up to `storedResultMaxBytes`; above that, on a
 * request/reply endpoint, the reply body in the payload bucket (claim-check), or why it could not be
 * kept. Undefined when there is no result (or, off request/reply, nobody would ask for it again).
 */
export async function keepResult(scope: KeepScope, value: unknown): Promise<KeptResult | undefined> {
  const json = value === undefined ? undefined : JSON.stringify(value);
  if (json === undefined) return undefined;
  const bytes = Buffer.byteLength(json, 'utf8');
  const inlineMax = RUNTIME_DEFAULTS.storedResultMaxBytes;
  if (bytes <= inlineMax) return { json };
  const { config } = scope;
  if (!config.requestReply) return undefined;
  const tooLarge = `it is ${bytes} bytes of JSON, over the ${inlineMax} bytes an idempotency record keeps inline`;
  if (!config.payloadBucket) {
    return {
      notKept:
        `${tooLarge}, and consumer '${config.name}' has no payload bucket to store it by claim-check (${CONSUMER_ENV.payloadBucket} is not set). ` +
        'Fix: redeploy the stack (it sets the payload bucket on request/reply endpoints), or return a smaller result',
    };
  }
  const body = `{"ok":true,"result":${json}}`;
  const key = `${replyObjectKeyPrefix(config.name)}${randomUUID()}.json`;
  try {
    await scope.storeObject(config.payloadBucket, key, body);
  } catch (error) {
    return {
      notKept: `${tooLarge}, and storing it in payload bucket '${config.payloadBucket}' failed: ${errorMessage(error)}`,
    };
  }
  const size = Buffer.byteLength(body, 'utf8');
  return { claimCheck: { bucket: config.payloadBucket, key, size, sha256: sha256Hex(body) } };
}
