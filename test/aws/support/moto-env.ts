/** Region and account moto serves by default. */
export const MOTO_REGION = 'us-east-1';
export const MOTO_ACCOUNT = '123456789012';

const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

/** SDK client settings for moto: its endpoint, dummy credentials, its region. */
export function motoClientConfig(endpoint: string) {
  return { endpoint, region: MOTO_REGION, credentials: CREDENTIALS };
}

/**
 * A process environment in which the AWS SDKs and the awscli reach moto only: every service through the
 * standard `AWS_ENDPOINT_URL`, dummy credentials, no profile or config file of this machine.
 */
export function motoProcessEnv(endpoint: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
  return {
    ...env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_REGION: MOTO_REGION,
    AWS_DEFAULT_REGION: MOTO_REGION,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
