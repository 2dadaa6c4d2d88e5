import type { Topology } from '../../topology/index.ts';
import { formatFunctionLog } from '../../contracts/index.ts';
import { functionLogs } from '../function-logs.ts';
import { dim, operator, type TargetFlags } from './context.ts';
import { parseInstant } from './replay-command.ts';

export interface LogsFlags extends TargetFlags {
  readonly follow?: boolean;
  /** A time ago (`10m`) or an ISO 8601 instant. */
  readonly since: string;
}

/**
 * `fanout logs <consumer>`: its function's lines since `--since`, as `fanout start` prints them
 * (function, correlation id, failures with their stack), each after its wall-clock time.
 */
export async function logsCommand(
  topology: Topology,
  consumer: string,
  flags: LogsFlags,
  print: (line: string) => void = console.log,
  signal?: AbortSignal,
): Promise<void> {
  const startTime = parseInstant('--since', flags.since).getTime();
  const ops = await operator(topology, flags);
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  if (flags.follow && !signal) process.once('SIGINT', onSigint);
  let shown = 0;
  try {
    for await (const event of functionLogs(ops, consumer, {
      startTime,
      follow: flags.follow ?? false,
      signal: signal ?? stop.signal,
      reconnect: () => operator(topology, flags),
      onDisconnected: () => print(dim(`Lost ${ops.target.outputs.origin}; waiting for it to answer again…`)),
    })) {
      const text = formatFunctionLog(event.functionName, event.message);
      if (!text) continue;
      shown++;
      print(`${dim(new Date(event.timestamp).toISOString())} ${text}`);
    }
    if (shown === 0 && !flags.follow)
      print(
        dim(`No log lines of '${consumer}' since ${new Date(startTime).toISOString()} (${ops.target.outputs.origin}).`),
      );
  } finally {
    process.off('SIGINT', onSigint);
    ops.close();
  }
}
