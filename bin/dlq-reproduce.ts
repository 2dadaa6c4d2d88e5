/**
 * `fanout dlq reproduce <file>`: the dead letters of a `fanout dlq pull` file, run through the same
 * handler code on a fresh in-process local cloud (its own emulators, fresh tables, free ports) built
 * from the app's cdk.out. Prints the functions' log lines and each letter's outcome; exit 0 when
 * every letter now succeeds, 1 when any still fails. Loaded only by that command (it needs local/).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dim, findAppConfig, green, loadAppConfig, red, type TargetFlags } from '../client/cli/index.ts';
import { FanoutClientError } from '../client/index.ts';
import {
  type DeadLetterFile,
  DeadLetterFileError,
  formatFunctionLog,
  parseDeadLetterFile,
} from '../contracts/index.ts';
import { AssemblyNotFoundError, LocalCloudError, StackNotFoundError, startLocalCloud } from '../local/index.ts';
import { type ReproducedLetter, reproduceDeadLetters, ReproduceError, synthesizeIfStale } from '../local/internal.ts';
import { resolveTopology } from '../topology/index.ts';
import { stackName } from '../topology/internal.ts';

const DEFAULT_ASSEMBLY = 'cdk.out';
/** Virtual seconds per real second: a failed message's retry comes soon, as under `fanout start`. */
const TIME_SCALE = 60;

export interface ReproduceFlags extends TargetFlags {
  readonly assembly: string;
  readonly stack?: string;
  readonly synth: boolean;
  /** Seconds to wait for every outcome. */
  readonly timeout: number;
}

function readFile(path: string): DeadLetterFile {
  if (!existsSync(path)) {
    throw new DeadLetterFileError(
      `Dead-letter file ${path} does not exist. Fix: pass the file \`fanout dlq pull <consumer>\` wrote (by default <consumer>.dead-letters.ndjson).`,
    );
  }
  return parseDeadLetterFile(path, readFileSync(path, 'utf8'));
}

const resultLine = (l: ReproducedLetter) => {
  const what = `${l.messageId} ${l.eventType ?? '(no event type)'}`;
  return l.succeeded
    ? green(`  ok    ${what}: ${l.outcome}`)
    : red(`  FAIL  ${what}: ${l.outcome}${l.reason ? `: ${l.reason}` : ''}`);
};

async function reproduce(path: string, flags: ReproduceFlags): Promise<void> {
  const file = readFile(path);
  const { consumer } = file.header;
  const config = findAppConfig() || !flags.stack ? await loadAppConfig() : undefined;
  const stack = flags.stack ?? stackName(config!.topology.name, flags.stage);
  if (config) {
    const endpoints = resolveTopology(config.topology, flags.stage).endpoints.map((e) => e.name);
    if (!endpoints.includes(consumer))
      throw new ReproduceError(
        `Consumer '${consumer}' of ${path} is not in this app's topology (its consumers: ${endpoints.join(', ')}). Fix: run the command in the app the letters came from.`,
      );
  }
  if (file.records.length === 0) {
    console.log(
      `${path} holds no dead letters (the DLQ of '${consumer}' was empty when pulled): nothing to reproduce.`,
    );
    return;
  }
  const appDir = config?.dir ?? process.cwd();
  const assemblyDir = resolve(appDir, flags.assembly);
  if (flags.synth && flags.assembly === DEFAULT_ASSEMBLY) {
    const ms = synthesizeIfStale(appDir, assemblyDir);
    if (ms !== undefined)
      console.log(`cdk.out was older than the sources: synthesized in ${(ms / 1000).toFixed(2)} s.`);
  }
  console.log(
    `Reproducing ${file.records.length} dead letter(s) of '${consumer}' from ${path} (pulled from ${file.header.stack} at ${file.header.pulledAt}) on a fresh local cloud of '${stack}'.`,
  );
  const cloud = await startLocalCloud({
    assemblyDir,
    stackName: stack,
    timeScale: TIME_SCALE,
    ports: { messaging: 0, dynamodb: 0 },
    onLog: (fn, line) => {
      const text = formatFunctionLog(fn, line);
      if (text) console.log(text);
    },
  });
  let letters: ReproducedLetter[];
  try {
    letters = await reproduceDeadLetters(cloud, path, file, {
      timeoutMs: flags.timeout * 1000,
      onResult: (l) => console.log(resultLine(l)),
    });
  } finally {
    await cloud.stop();
  }
  const failing = letters.filter((l) => !l.succeeded);
  if (failing.length === 0) {
    console.log(green(`All ${letters.length} dead letter(s) now succeed.`));
    if (file.header.redacted.length > 0)
      console.log(dim(`note: payload fields ${file.header.redacted.join(', ')} were masked by the pull (--redact).`));
    return;
  }
  console.log(red(`${failing.length} of ${letters.length} dead letter(s) still fail:`));
  for (const l of failing) console.log(resultLine(l));
  process.exitCode = 1;
}

/** An error of the local cloud or the assembly, printed like the CLI's own (`<name>: <message>`). */
class LocalFailure extends FanoutClientError {
  override readonly name: string;
  constructor(error: Error) {
    super(error.message, { cause: error });
    this.name = error.name;
  }
}

/** Runs `reproduce`; the local cloud's and the assembly's own errors are user errors too: one line, exit 1. */
export async function reproduceCommand(path: string, flags: ReproduceFlags): Promise<void> {
  try {
    await reproduce(path, flags);
  } catch (error) {
    if (
      error instanceof LocalCloudError ||
      error instanceof AssemblyNotFoundError ||
      error instanceof StackNotFoundError
    ) {
      throw new LocalFailure(error);
    }
    throw error;
  }
}
