/** Base of every error the local cloud raises: each names the input, the rule broken and the fix. */
export { AssemblyError, AssemblyNotFoundError, StackNotFoundError } from '../assembly/index.ts';

export class LocalCloudError extends Error {
  override readonly name: string = 'LocalCloudError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A port the local cloud was told to listen on is taken (by another `fanout start`, most often). */
export class PortInUseError extends LocalCloudError {
  override readonly name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly server: string,
    readonly host: string,
  ) {
    super(
      `Port ${port} (${server}) on ${host} is in use, most likely by another \`fanout start\`. Fix: stop that one, or start with --port 0 to take free ports.`,
    );
  }
}

export interface UnsupportedResource {
  readonly logicalId: string;
  readonly type: string;
}

export class UnsupportedResourceTypesError extends LocalCloudError {
  override readonly name = 'UnsupportedResourceTypesError';
  constructor(
    readonly stackName: string,
    readonly resources: readonly UnsupportedResource[],
  ) {
    super(
      `Stack '${stackName}' uses resource types the local cloud cannot run:\n` +
        resources.map((r) => `  - ${r.logicalId} (${r.type})`).join('\n') +
        `\nRemove them from the stack, or add a provisioner for each type in local/provisioners/.`,
    );
  }
}

export class IntrinsicResolutionError extends LocalCloudError {
  override readonly name = 'IntrinsicResolutionError';
  constructor(where: string, detail: string) {
    super(`Cannot resolve ${where}: ${detail}`);
  }
}

export class DependencyCycleError extends LocalCloudError {
  override readonly name = 'DependencyCycleError';
  constructor(readonly cycle: readonly string[]) {
    super(
      `Resources depend on each other in a cycle: ${cycle.join(' → ')}. Break the cycle in the stack (a Ref, GetAtt or DependsOn too many).`,
    );
  }
}

export class AssetNotFoundError extends LocalCloudError {
  override readonly name = 'AssetNotFoundError';
  constructor(logicalId: string, detail: string) {
    super(
      `Code of function '${logicalId}' not found: ${detail}. Re-run 'npx cdk synth' so cdk.out holds the bundled asset.`,
    );
  }
}

export class InvalidResourceConfigError extends LocalCloudError {
  override readonly name = 'InvalidResourceConfigError';
  constructor(logicalId: string, rule: string, fix: string) {
    super(`Resource '${logicalId}': ${rule}. ${fix}`);
  }
}

export class FunctionNotFoundError extends LocalCloudError {
  override readonly name = 'FunctionNotFoundError';
  constructor(identifier: string, known: readonly string[]) {
    super(`Function '${identifier}' is not deployed locally; functions: ${known.join(', ') || '(none)'}.`);
  }
}

/** A metric-math expression beyond plain arithmetic: the alarm is reported "not evaluated locally". */
export class UnsupportedExpressionError extends LocalCloudError {
  override readonly name = 'UnsupportedExpressionError';
}

/** A message move task could not send a batch to its destination; the task fails with this reason. */
export class MoveTaskSendError extends LocalCloudError {
  override readonly name = 'MoveTaskSendError';
  constructor(destinationArn: string, failure: { readonly Code?: string; readonly Message?: string }) {
    super(`SendMessageBatch to ${destinationArn} failed: ${failure.Code}: ${failure.Message}`);
  }
}

/** `--watch` could not bundle a changed handler; the message holds esbuild's first error with its file and line. */
export class HandlerRebuildError extends LocalCloudError {
  override readonly name = 'HandlerRebuildError';
}
