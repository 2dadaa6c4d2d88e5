import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';

type Send = (input: Record<string, unknown>) => Promise<{ output: Record<string, unknown> }>;

/**
 * Fault injection at the edge of a real SDK client: `hook` sees every command (name and input) and
 * decides whether to call the real service (`send`), change what it sends or returns, or throw.
 */
export function intercept(
  client: SQSClient | SNSClient,
  hook: (command: string, input: Record<string, unknown>, send: Send) => Promise<{ output: Record<string, unknown> }>,
): void {
  (client.middlewareStack as SQSClient['middlewareStack']).add(
    (next, context) => async (args) => {
      const send: Send = async (input) => (await next({ ...args, input: input as never })) as never;
      return (await hook(context.commandName ?? '', args.input as Record<string, unknown>, send)) as never;
    },
    { step: 'initialize', name: `intercept-${Math.random()}` },
  );
}

/** What a dropped connection looks like to the SDK's caller (retryable). */
export const connectionReset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
