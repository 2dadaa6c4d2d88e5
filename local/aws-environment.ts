import type { LocalCloud } from './cloud.ts';

/**
 * The environment that points aws-cli (v1 and v2) and the AWS SDKs at a local cloud: the region
 * (`AWS_DEFAULT_REGION` for aws-cli v1, `AWS_REGION` for the SDKs), the credentials the cloud
 * accepts (dummy ones: nothing checks them, but every client refuses to sign without) and the
 * endpoints (`AWS_ENDPOINT_URL` for SNS, SQS and S3; DynamoDB has its own).
 */
export function awsEnvironment(
  cloud: Pick<LocalCloud, 'region' | 'credentials' | 'endpoints'>,
): Record<string, string> {
  return {
    AWS_REGION: cloud.region,
    AWS_DEFAULT_REGION: cloud.region,
    AWS_ACCESS_KEY_ID: cloud.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: cloud.credentials.secretAccessKey,
    AWS_ENDPOINT_URL: cloud.endpoints.messaging,
    AWS_ENDPOINT_URL_DYNAMODB: cloud.endpoints.dynamodb,
  };
}

/** `awsEnvironment` as one line to paste into a POSIX shell (`export A=1 B=2`). */
export function shellExports(environment: Readonly<Record<string, string>>): string {
  return `export ${Object.entries(environment)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ')}`;
}
