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
    /** CloudWatch Logs (FilterLogEvents over the functions' recent lines). */
    readonly logs?: string;
  };
  /** Path of a `LocalStatusSnapshot` file the local cloud keeps current. @default - none */
  readonly statusFile?: string;
  /**
   * Stack name → its CloudFormation outputs (key → value), as resolved locally: the root stack and
   * each nested stack under its own name, as DescribeStacks would return them. A root whose
   * `EndpointStacks` output lists nested stacks has their outputs to merge in (client/stack-outputs.ts).
   */
  readonly stacks: { readonly [stackName: string]: { readonly outputs: Readonly<Record<string, string>> } };
}

/**
 * Optional: what the local cloud knows beyond SQS attributes, for `fanout status` in another process.
 * If the local cloud rewrites this JSON file (path in `LocalRegistry.statusFile`) as it samples,
 * the CLI shows age of oldest message and alarm states locally too.
 */
export interface LocalStatusSnapshot {
  readonly sampledAt: string;
  readonly alarms: readonly { readonly name: string; readonly state: string }[];
  /** Queue name → age of its oldest message in seconds. */
  readonly oldestAgeSeconds: Readonly<Record<string, number>>;
}
