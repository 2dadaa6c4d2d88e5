/** Everything the local Lambda host needs to run one function, resolved from the template. */
export interface FunctionDefinition {
  readonly logicalId: string;
  readonly functionName: string;
  readonly arn: string;
  /** `file.export`, e.g. `index.handler`. */
  readonly handler: string;
  /** Directory holding the bundled code (an `asset.<hash>` folder of the assembly). */
  readonly codeDir: string;
  readonly runtime: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** The template's environment variables, resolved. */
  readonly environment: Readonly<Record<string, string>>;
  /** ReservedConcurrentExecutions; undefined = unreserved. */
  readonly reservedConcurrency?: number;
  readonly logGroupName: string;
}

/** Outcome of one invocation, as the Lambda service reports it. */
export type InvocationResult =
  | { readonly ok: true; readonly payload: unknown; readonly durationMs: number; readonly requestId: string }
  | { readonly ok: false; readonly error: InvocationError; readonly durationMs: number; readonly requestId: string };

export interface InvocationError {
  /** `Error` subclass name for handler errors; `Sandbox.Timedout`, `Runtime.ExitError`, … for platform errors. */
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stackTrace?: readonly string[];
}

/** Lambda error types the host reports for failures outside the handler's own errors. */
export const PLATFORM_ERRORS = {
  timeout: 'Sandbox.Timedout',
  exit: 'Runtime.ExitError',
  outOfMemory: 'Runtime.OutOfMemory',
  importModule: 'Runtime.ImportModuleError',
  handlerNotFound: 'Runtime.HandlerNotFound',
  throttled: 'TooManyRequestsException',
} as const;
