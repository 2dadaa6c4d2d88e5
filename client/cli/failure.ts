import { DeadLetterFileError } from '../../contracts/index.ts';
import { failedCall, type AwsCall } from '../aws-call.ts';
import { FanoutClientError } from '../errors.ts';

/** What the CLI prints for a failed command, and its exit code (1: the environment, 2: a bug). */
export interface Failure {
  readonly line: string;
  readonly exitCode: 1 | 2;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout']);
const CREDENTIALS =
  /^(CredentialsProviderError|ExpiredToken(Exception)?|UnrecognizedClient(Exception)?|InvalidClientTokenId|SignatureDoesNotMatch|InvalidAccessKeyId|InvalidSignatureException|MissingAuthenticationToken)$/;
const DENIED = /^(AccessDenied(Exception)?|AuthorizationError|AuthorizationErrorException|Forbidden)$/;
const MISSING =
  /^(QueueDoesNotExist|AWS\.SimpleQueueService\.NonExistentQueue|NotFound(Exception)?|NoSuchBucket|ResourceNotFoundException)$/;
const BUSY =
  /^(Throttling(Exception)?|ThrottledException|RequestThrottled(Exception)?|TooManyRequestsException|SlowDown|ServiceUnavailable|InternalError|InternalFailure)$/;

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();
const isLocal = (endpoint: string | undefined) =>
  endpoint !== undefined && /^https?:\/\/(localhost|127\.|\[::1\])/.test(endpoint);

function awsFailure(
  error: Error & { code?: string; $metadata?: { httpStatusCode?: number } },
  call: AwsCall | undefined,
): string | undefined {
  const what = call ? `${call.service} ${call.operation}` : 'An AWS call';
  const where = call?.endpoint ? ` at ${call.endpoint}` : '';
  const kind = error.code ?? error.name;
  const cause = error.message.includes(kind) ? oneLine(error.message) : `${kind}: ${oneLine(error.message)}`;
  if (NETWORK_CODES.has(error.code ?? '') || NETWORK_NAMES.has(error.name)) {
    const fix = isLocal(call?.endpoint)
      ? 'start the local cloud again with `npm start` (nothing answers on the endpoint its registry file names), or pass --target aws'
      : 'check the network, the region (--region or AWS_REGION) and any endpoint override (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>)';
    return `Cannot reach ${call?.service ?? 'AWS'}${where} (${call ? `${call.operation}: ` : ''}${cause}). Fix: ${fix}.`;
  }
  if (CREDENTIALS.test(error.name)) {
    return `${what}${where} refused the credentials (${cause}). Fix: set credentials for the stack's account (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and AWS_REGION.`;
  }
  if (DENIED.test(error.name) || error.$metadata?.httpStatusCode === 403) {
    const action = call ? `${call.service.toLowerCase()}:${call.operation}` : 'the action';
    return `${what}${where} was denied (${cause}). Fix: allow ${action} on the stack's resources for the identity you run as.`;
  }
  if (MISSING.test(error.name)) {
    return `${what}${where} found no such resource (${cause}). Fix: deploy the stack again (\`npx cdk deploy\`) or restart the local cloud (\`npm start\`) so it matches the topology.`;
  }
  if (BUSY.test(error.name) || (error.$metadata?.httpStatusCode ?? 0) >= 500) {
    return `${what}${where} failed after the SDK's retries (${cause}). Fix: try again in a moment.`;
  }
  if (error.$metadata !== undefined || call !== undefined) {
    return `${what}${where} failed (${cause}). Fix: check the message; run with FANOUT_DEBUG=1 for the stack trace.`;
  }
  return undefined;
}

/** One line for any error a command ends with: what failed, where, and what to do. Never a stack trace. */
export function describeFailure(error: unknown): Failure {
  const e = error instanceof Error ? error : new Error(String(error));
  if (
    error instanceof FanoutClientError ||
    error instanceof DeadLetterFileError ||
    e.name === 'TopologyValidationError'
  ) {
    return { line: `${e.name}: ${e.message}`, exitCode: 1 };
  }
  const aws = awsFailure(e, failedCall(error));
  if (aws !== undefined) return { line: aws, exitCode: 1 };
  return {
    line: `Unexpected error: ${e.name}: ${oneLine(e.message)}. Fix: this is a bug in fanout; run again with FANOUT_DEBUG=1 and report the stack trace it prints.`,
    exitCode: 2,
  };
}
