import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { stackName as stackNameOf } from '../topology/internal.ts';
import {
  LOCAL_REGISTRY,
  type LocalRegistry,
  endpointStackIds,
  OUTPUT_KEYS,
  stackNameOfId,
} from '../contracts/index.ts';
import { createClients, type Connection } from './connection.ts';
import { StackOutputsError } from './errors.ts';

/** Where a stack's outputs are read from. */
export type OutputsSource =
  /** A deployed stack: CloudFormation DescribeStacks. */
  | { readonly kind: 'cloudformation'; readonly connection?: Connection }
  /** The registry file a running local cloud writes. */
  | { readonly kind: 'local-registry'; readonly path?: string }
  /** Outputs already at hand (a local cloud started in-process, tests). */
  | { readonly kind: 'static'; readonly outputs: Readonly<Record<string, string>>; readonly connection: Connection };

/** A stack's outputs plus how to reach the APIs its resources live behind. */
export class StackOutputs {
  constructor(
    readonly stackName: string,
    readonly stage: string,
    readonly outputs: Readonly<Record<string, string>>,
    readonly connection: Connection,
    /** Where the outputs came from, for messages. */
    readonly origin: string,
    /** A local cloud's status snapshot file (age of oldest, alarm states). */
    readonly statusFile?: string,
    /** Nested endpoint stacks whose outputs are merged in (the root's `EndpointStacks`). */
    readonly nestedStacks: readonly string[] = [],
  ) {}

  get(key: string): string | undefined {
    return this.outputs[key];
  }

  /** The output `key`, or an error naming the stack, the resource and how to deploy it. */
  require(key: string, what: string): string {
    const value = this.outputs[key];
    if (value) return value;
    const nested = this.nestedStacks.length ? ` or its ${this.nestedStacks.length} nested endpoint stack(s)` : '';
    throw new StackOutputsError(
      `Stack '${this.stackName}'${nested} (${this.origin}) has no output '${key}' for ${what}. ` +
        `Fix: ${deployHint(this.stage)} so the stack matches the topology.`,
    );
  }
}

export function deployHint(stage: string): string {
  return `deploy it with \`npx cdk deploy -c stage=${stage}\` (AWS) or start the local cloud with \`npm start\``;
}

export function registryPath(path?: string): string {
  return resolve(path ?? process.env[LOCAL_REGISTRY.pathEnvVar] ?? LOCAL_REGISTRY.defaultPath);
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fromRegistry(app: string, stage: string, path: string | undefined): StackOutputs {
  const file = registryPath(path);
  const name = stackNameOf(app, stage);
  if (!existsSync(file)) {
    throw new StackOutputsError(
      `No local cloud is running: registry file ${file} does not exist, so the outputs of stack '${name}' are unknown. ` +
        `Fix: start the local cloud with \`npm start\` (or \`npx fanout local\`), or pass --target aws to use the deployed stack.`,
    );
  }
  const registry = JSON.parse(readFileSync(file, 'utf8')) as LocalRegistry;
  if (registry.pid !== undefined && !processRuns(registry.pid)) {
    throw new StackOutputsError(
      `The local cloud recorded in ${file} (process ${registry.pid}) is no longer running, so stack '${name}' is not reachable. ` +
        `Fix: start it again with \`npm start\` (or \`npx fanout local\`).`,
    );
  }
  const stack = registry.stacks?.[name];
  if (!stack) {
    const known = Object.keys(registry.stacks ?? {});
    throw new StackOutputsError(
      `The local cloud (registry ${file}) runs no stack '${name}' (it runs: ${known.join(', ') || 'none'}). ` +
        `Fix: ${deployHint(stage)}.`,
    );
  }
  const nestedNames = endpointStackIds(stack.outputs[OUTPUT_KEYS.endpointStacks]).map(stackNameOfId);
  const nested = nestedNames.map((nestedName) => {
    const found = registry.stacks[nestedName];
    if (found) return found.outputs;
    throw new StackOutputsError(
      `The local cloud (registry ${file}) runs stack '${name}' but not its nested endpoint stack '${nestedName}' (listed in its ${OUTPUT_KEYS.endpointStacks} output). ` +
        'Fix: restart the local cloud (`npm start`) so it deploys the whole assembly.',
    );
  });
  const e = registry.endpoints;
  const connection: Connection = {
    region: registry.region,
    endpoints: {
      sqs: e.sqs,
      sns: e.sns,
      s3: e.s3,
      ...(e.cloudwatch ? { cloudwatch: e.cloudwatch } : {}),
      ...(e.logs ? { logs: e.logs } : {}),
    },
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  return new StackOutputs(
    name,
    stage,
    mergeOutputs(stack.outputs, nested),
    connection,
    `local cloud registry ${file}`,
    registry.statusFile,
    nestedNames,
  );
}

/** The root's outputs completed by its nested endpoint stacks' (keys are unique across them; the root wins). */
function mergeOutputs(
  root: Readonly<Record<string, string>>,
  nested: readonly Readonly<Record<string, string>>[],
): Record<string, string> {
  return Object.assign({}, ...nested, root) as Record<string, string>;
}

/** Node's codes for a request that never reached a server (refused, no such host, timed out, reset). */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
]);

function networkFailure(name: string, error: unknown): StackOutputsError | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  if (!code || !NETWORK_ERROR_CODES.has(code)) return undefined;
  return new StackOutputsError(
    `Cannot reach CloudFormation to read stack '${name}': ${(error as Error).message}. ` +
      "Fix: check the network, or the endpoint override if you use one (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_CLOUDFORMATION or the connection's endpoints.cloudformation).",
    { cause: error },
  );
}

/** Why a stack in `status` has no outputs to use, and the fix; undefined where its outputs are those of a deployed stack. */
function unusableState(status: string, stage: string): { readonly what: string; readonly fix: string } | undefined {
  if (status === 'REVIEW_IN_PROGRESS') {
    return {
      what: 'has a change set waiting to be executed and no resources yet',
      fix: `execute the change set or run \`npx cdk deploy -c stage=${stage}\`, then run this again`,
    };
  }
  if (status === 'CREATE_IN_PROGRESS')
    return { what: 'is still being created', fix: 'wait for the deployment to finish, then run this again' };
  if (status === 'CREATE_FAILED' || status.startsWith('ROLLBACK_')) {
    return {
      what: 'failed to create',
      fix: `delete it (\`npx cdk destroy -c stage=${stage}\`), then deploy it again with \`npx cdk deploy -c stage=${stage}\``,
    };
  }
  if (status.startsWith('DELETE_')) return { what: 'is being deleted or failed to delete', fix: deployHint(stage) };
  return undefined;
}

function unreachable(name: string, stage: string, error: unknown): StackOutputsError {
  return new StackOutputsError(
    `Cannot read stack '${name}' from CloudFormation: ${(error as Error).message}. ` +
      `Fix: set AWS_REGION and credentials (e.g. AWS_PROFILE) for the account the stack is deployed to, ` +
      `or start the local cloud with \`npm start\` and use --target local (stage '${stage}').`,
    { cause: error },
  );
}

async function fromCloudFormation(app: string, stage: string, connection: Connection): Promise<StackOutputs> {
  const name = stackNameOf(app, stage);
  const clients = createClients(connection);
  try {
    const region = await clients.cloudformation.config.region().catch((error: unknown) => {
      throw unreachable(name, stage, error);
    });
    const describe = async (stackName: string, what: string) => {
      const result = await clients.cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
      const stack = result.Stacks?.[0];
      const unusable = stack?.StackStatus ? unusableState(stack.StackStatus, stage) : undefined;
      if (unusable) {
        const reason = stack!.StackStatusReason ? ` (${stack!.StackStatusReason})` : '';
        throw new StackOutputsError(
          `${what} in region ${region} is in state ${stack!.StackStatus}${reason}: it ${unusable.what}, so its outputs cannot be used. Fix: ${unusable.fix}.`,
        );
      }
      return Object.fromEntries(
        (stack?.Outputs ?? []).filter((o) => o.OutputKey && o.OutputValue).map((o) => [o.OutputKey!, o.OutputValue!]),
      );
    };
    try {
      const outputs = await describe(name, `Stack '${name}'`);
      const ids = endpointStackIds(outputs[OUTPUT_KEYS.endpointStacks]);
      const nested = await Promise.all(
        ids.map((id) => describe(id, `Nested endpoint stack '${stackNameOfId(id)}' of '${name}'`)),
      );
      return new StackOutputs(
        name,
        stage,
        mergeOutputs(outputs, nested),
        connection,
        `CloudFormation, region ${region}`,
        undefined,
        ids.map(stackNameOfId),
      );
    } catch (error) {
      if (error instanceof StackOutputsError) throw error;
      if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) {
        throw new StackOutputsError(
          `Stack '${name}' does not exist in region ${region} (CloudFormation DescribeStacks). Fix: ${deployHint(stage)}.`,
          { cause: error },
        );
      }
      const kind = (error as Error).name;
      if (
        kind === 'CredentialsProviderError' ||
        kind === 'ExpiredTokenException' ||
        kind === 'UnrecognizedClientException'
      ) {
        throw unreachable(name, stage, error);
      }
      throw networkFailure(name, error) ?? error;
    }
  } finally {
    clients.destroy();
  }
}

/** Reads the outputs of the topology's stack `<app>-<stage>` from the given source. */
export async function loadStackOutputs(app: string, stage: string, source: OutputsSource): Promise<StackOutputs> {
  switch (source.kind) {
    case 'static':
      return new StackOutputs(stackNameOf(app, stage), stage, source.outputs, source.connection, 'given outputs');
    case 'local-registry':
      return fromRegistry(app, stage, source.path);
    case 'cloudformation':
      return fromCloudFormation(app, stage, source.connection ?? {});
  }
}
