import { FilterLogEventsCommand, ResourceNotFoundException } from '@aws-sdk/client-cloudwatch-logs';
import { OUTPUT_KEYS } from '../contracts/index.ts';
import { LogsUnavailableError } from './errors.ts';
import type { OperatorContext } from './operator.ts';
import { sleep } from './retry.ts';

/** One line a consumer's function wrote, as CloudWatch Logs (or the local cloud) keeps it. */
export interface FunctionLogEvent {
  readonly eventId: string;
  /** Wall clock, ms since the epoch. */
  readonly timestamp: number;
  readonly functionName: string;
  readonly message: string;
}

export interface FunctionLogsOptions {
  /** First time to read from (ms since the epoch, wall clock). @default - the oldest kept */
  readonly startTime?: number;
  /** Keep polling for new lines until `signal` aborts. @default false */
  readonly follow?: boolean;
  /** Poll interval with `follow`. @default 1000 */
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  /**
   * With `follow`: a new connection when the old one stops answering (a local cloud restarted on other
   * ports). Called every `pollMs` until it succeeds; reading goes on from the newest line printed.
   * @default - a lost connection ends the read with its error
   */
  readonly reconnect?: () => Promise<OperatorContext>;
  /** Called once each time the connection is lost and `reconnect` starts trying. */
  readonly onDisconnected?: (error: Error) => void;
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
const isConnectionLost = (error: unknown) => CONNECTION_ERRORS.has((error as { code?: string }).code ?? '');

/** The function of a subscriber or work queue and its log group (`/aws/lambda/<function name>`). */
export function consumerLogGroup(
  ops: OperatorContext,
  consumer: string,
): { functionName: string; logGroupName: string } {
  const { target } = ops;
  target.resolvedEndpoint(consumer);
  const outputs = target.outputs;
  if (outputs.connection.endpoints?.sqs && !outputs.connection.endpoints.logs)
    throw new LogsUnavailableError(
      `The local cloud (${outputs.origin}) serves no function logs: it was started by an older Fanout. Fix: restart it (\`npm start\`).`,
    );
  const functionName = outputs.require(OUTPUT_KEYS.functionName(consumer), `the function of '${consumer}'`);
  return { functionName, logGroupName: `/aws/lambda/${functionName}` };
}

/**
 * The consumer's log lines from `startTime` on, oldest first, through CloudWatch Logs FilterLogEvents
 * (the local cloud answers it too); with `follow`, then every new line until the signal aborts.
 */
export async function* functionLogs(
  first: OperatorContext,
  consumer: string,
  options: FunctionLogsOptions = {},
): AsyncGenerator<FunctionLogEvent> {
  let ops = first;
  const { functionName, logGroupName } = consumerLogGroup(ops, consumer);
  try {
    yield* readLogs();
  } finally {
    if (ops !== first) ops.close();
  }

  /** Replaces a lost connection; returns once a new one is made or the signal aborted. */
  async function reconnected(error: Error): Promise<void> {
    options.onDisconnected?.(error);
    while (!options.signal?.aborted) {
      await sleep(options.pollMs ?? 1000, options.signal);
      const next = await options.reconnect!().catch(() => undefined);
      if (!next) continue;
      if (ops !== first) ops.close();
      ops = next;
      return;
    }
  }

  async function* readLogs(): AsyncGenerator<FunctionLogEvent> {
    let startTime = options.startTime;
    // Lines of the newest millisecond already given: the next poll starts at that millisecond again.
    let seenAtStart = new Set<string>();
    do {
      let nextToken: string | undefined;
      let newest = startTime;
      const seenAtNewest = new Set<string>();
      do {
        const page = await ops.clients.logs
          .send(
            new FilterLogEventsCommand({
              logGroupName,
              ...(startTime !== undefined ? { startTime } : {}),
              ...(nextToken ? { nextToken } : {}),
            }),
            options.signal ? { abortSignal: options.signal } : {},
          )
          .catch(async (error: unknown) => {
            if (options.signal?.aborted) return { events: [], nextToken: undefined };
            if (options.follow && options.reconnect && isConnectionLost(error)) {
              await reconnected(error as Error);
              return { events: [], nextToken: undefined };
            }
            if (error instanceof ResourceNotFoundException)
              throw new LogsUnavailableError(
                `Log group '${logGroupName}' of '${consumer}' does not exist (${ops.target.outputs.origin}): the function has not run yet or its logs were deleted. Fix: publish to it first, or check --stage and --target.`,
              );
            throw error;
          });
        for (const e of page.events ?? []) {
          const eventId = e.eventId ?? `${e.timestamp}:${e.message}`;
          const timestamp = e.timestamp ?? 0;
          if (timestamp === startTime && seenAtStart.has(eventId)) continue;
          if (newest === undefined || timestamp > newest) {
            newest = timestamp;
            seenAtNewest.clear();
          }
          if (timestamp === newest) seenAtNewest.add(eventId);
          yield { eventId, timestamp, functionName, message: (e.message ?? '').replace(/\n$/, '') };
        }
        nextToken = page.nextToken;
      } while (nextToken && !options.signal?.aborted);
      if (newest !== startTime) seenAtStart = seenAtNewest;
      else for (const id of seenAtNewest) seenAtStart.add(id);
      startTime = newest;
      if (options.follow) await sleep(options.pollMs ?? 1000, options.signal);
    } while (options.follow && !options.signal?.aborted);
  }
}
