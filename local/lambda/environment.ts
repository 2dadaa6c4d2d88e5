import type { Credentials, Endpoints } from '../emulators.ts';
import type { FunctionDefinition } from './function-definition.ts';

/**
 * Service endpoints under `*.localhost` (the worker maps those to 127.0.0.1): S3 virtual-hosted bucket
 * names resolve, and the SQS endpoint has the host of fauxqs's queue URLs so the SDK keeps it.
 */
function serviceEndpoint(messagingEndpoint: string, host: string): string {
  const url = new URL(messagingEndpoint);
  return `${url.protocol}//${host}:${url.port}`;
}

/**
 * The environment of one function's workers, as Lambda builds it: the template's variables, the
 * reserved runtime variables, the emulators' credentials (an access key id is a DynamoDB Local
 * namespace) and `AWS_ENDPOINT_URL_*` pointing at the emulators, so the AWS SDK inside the function
 * reaches them without code changes.
 */
export function functionEnvironment(
  fn: FunctionDefinition,
  endpoints: Endpoints,
  region: string,
  credentials: Credentials,
): Record<string, string> {
  return {
    ...fn.environment,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: 'local',
    AWS_ENDPOINT_URL: endpoints.messaging,
    AWS_ENDPOINT_URL_SQS: serviceEndpoint(endpoints.messaging, `sqs.${region}.localhost`),
    AWS_ENDPOINT_URL_SNS: endpoints.messaging,
    AWS_ENDPOINT_URL_S3: serviceEndpoint(endpoints.messaging, 's3.localhost'),
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]local`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    LAMBDA_TASK_ROOT: fn.codeDir,
    _HANDLER: fn.handler,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    NODE_ENV: fn.environment.NODE_ENV ?? 'production',
  };
}
