/**
 * The file the local cloud writes while it runs so other processes (publisher, `fanout` CLI,
 * tests) find its endpoints and the stack outputs it resolved. Written by local/, read by client/.
 */
export const LOCAL_REGISTRY = {
  /** Environment variable overriding the file's path. */
  pathEnvVar: 'FANOUT_LOCAL_REGISTRY',
  /** Default path, relative to the working directory. */
  defaultPath: '.fanout/local.json',
} as const;

export interface LocalRegistry {
  /** Process id of the local cloud, so readers can tell a stale file. */
  readonly pid?: number;
  readonly region: string;
  /** Endpoint URLs per service; services the local cloud does not serve are absent. */
  readonly endpoints: {
    readonly sqs: string;
    readonly sns: string;
    readonly s3: string;
    readonly dynamodb?: string;
    readonly cloudwatch?: string;
  };
  /** Stack name → its CloudFormation outputs (key → value), as resolved locally. */
  readonly stacks: { readonly [stackName: string]: { readonly outputs: Readonly<Record<string, string>> } };
}
