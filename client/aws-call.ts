import type { SQSClient } from '@aws-sdk/client-sqs';

/** Which AWS call an error came from, so the CLI can say what failed and where. */
export interface AwsCall {
  /** e.g. `SQS`, `CloudFormation`. */
  readonly service: string;
  /** e.g. `GetQueueAttributes`. */
  readonly operation: string;
  /** The endpoint the call went to, when it was resolved. */
  readonly endpoint: string | undefined;
}

const calls = new WeakMap<object, AwsCall>();

/** Remembers, for every error a client's calls throw, which call it was (the error itself is left untouched). */
export function recordFailedCalls(client: { readonly middlewareStack: unknown }): void {
  // Every SDK v3 client has the same middleware stack; SQS's type stands for all of them.
  (client.middlewareStack as SQSClient['middlewareStack']).add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (typeof error === 'object' && error !== null && !calls.has(error)) {
          calls.set(error, {
            service: (context.clientName ?? 'AWS').replace(/Client$/, ''),
            operation: (context.commandName ?? 'a call').replace(/Command$/, ''),
            endpoint: context.endpointV2?.url.toString(),
          });
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'fanoutRecordFailedCalls' },
  );
}

/** The call `error` came from, if a client made by `createClients` threw it. */
export function failedCall(error: unknown): AwsCall | undefined {
  return typeof error === 'object' && error !== null ? calls.get(error) : undefined;
}
