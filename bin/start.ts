#!/usr/bin/env node
/**
 * `fanout start` (`npm start` here): synthesizes the app if cdk.out is stale, runs its stack in the
 * embedded local cloud, runs the app's demo traffic (fanout.config.ts `demo`) and prints its summary,
 * then keeps serving until Ctrl-C (`--once` exits); `--watch` reloads a saved handler in place. Needs Java
 * 17+ on PATH for DynamoDB Local.
 */
import './require-node.ts';
import { relative, resolve } from 'node:path';
import { MultiBar, Presets } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { startConsole, type LocalConsole } from '../console/index.ts';
import { findAppConfig, type LoadedAppConfig, loadAppConfig } from '../client/cli/index.ts';
import { type AppDemo, startLocalCloud, type LocalCloud, watchApp } from '../local/index.ts';
import {
  awsEnvironment,
  defaultRegistryFile,
  DYNAMODB_LOCAL_VERSION,
  formatWatchEvent,
  OutcomeCounter,
  synthesizeIfStale,
  shellExports,
} from '../local/internal.ts';
import { formatFunctionLog } from '../contracts/index.ts';
import { stackName } from '../topology/internal.ts';

const DEFAULT_ASSEMBLY = 'cdk.out';

const number = (name: string, min: number) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min)
    throw new InvalidArgumentError(`${name} must be a number ≥ ${min} (given '${value}')`);
  return parsed;
};

const program = new Command('start')
  .description(
    'Run the synthesized stack offline (Java 17+ needed for DynamoDB Local): emulators, bundled Lambda assets, demo traffic, summary',
  )
  .option(
    '--assembly <dir>',
    'cloud assembly directory (synthesized first when it is the default and stale)',
    DEFAULT_ASSEMBLY,
  )
  .option('--stack <name>', "stack to run (default the app's <name>-<stage>, from fanout.config.ts)")
  .option('--stage <stage>', 'stage of the default stack name', 'dev')
  .option(
    '--time-scale <n>',
    'virtual seconds per real second for alarm periods and queue timers',
    number('--time-scale', 0.001),
    60,
  )
  .option(
    '--port <n>',
    'SNS/SQS/S3 endpoint port (0 = random); DynamoDB listens on the next port',
    number('--port', 0),
    4566,
  )
  .option(
    '--console-port <n>',
    'local console port (0 = random; random by default with --port 0)',
    number('--console-port', 0),
    4570,
  )
  .option(
    '--host',
    'listen on every network interface (0.0.0.0) instead of 127.0.0.1: anyone who reaches this machine can use the emulators and the console',
  )
  .option('--no-console', 'do not serve the local console')
  .option(
    '--demo-size <n>',
    "scale of the app's demo traffic (the shop example: orders)",
    number('--demo-size', 0),
    100,
  )
  .option('--no-demo', "skip the app's demo traffic")
  .option('--no-logs', "do not print the functions' log lines (ctx.log, console, failures with their stack)")
  .option('--no-synth', 'never synthesize, use the assembly as it is')
  .option('--once', 'exit after the summary (CI)')
  .option(
    '--watch',
    'while serving, rebuild a saved handler and run it from the next invocation, keeping queues, tables and dead letters; re-synthesize on other changes (a change beyond function code says a restart is needed)',
  )
  .option('--verbose', "show what synthesis prints (cdk synth's output, a line per bundled handler)")
  .parse();

const opts = program.opts<{
  assembly: string;
  stack?: string;
  stage: string;
  timeScale: number;
  port: number;
  consolePort: number;
  console: boolean;
  host?: boolean;
  demoSize: number;
  demo: boolean;
  logs: boolean;
  synth: boolean;
  once?: boolean;
  watch?: boolean;
  verbose?: boolean;
}>();
const t0 = performance.now();
/** Where a function's log line is printed: the terminal, or above the demo's progress bars. */
let say: (text: string) => void = console.log;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function synthIfStale(appDir: string): void {
  if (!opts.synth || opts.assembly !== DEFAULT_ASSEMBLY) return;
  const ms = synthesizeIfStale(appDir, resolve(appDir, opts.assembly), { verbose: opts.verbose ?? false });
  if (ms !== undefined) console.log(`cdk.out was older than the sources: synthesized in ${seconds(ms)}.`);
}

function printStartup(cloud: LocalCloud, localConsole: LocalConsole | undefined): void {
  console.log(
    `\nLocal cloud for stack '${cloud.stackName}' up in ${seconds(cloud.startupMs)} (time scale ×${cloud.clock.timeScale}).`,
  );
  console.log(`  SNS / SQS / S3 : ${cloud.endpoints.messaging}`);
  console.log(`  DynamoDB       : ${cloud.endpoints.dynamodb} (DynamoDB Local ${DYNAMODB_LOCAL_VERSION})`);
  if (localConsole) console.log(`  console        : ${localConsole.url}`);
  console.log(`  registry file  : ${defaultRegistryFile()}`);
  const byType = new Map<string, number>();
  for (const r of cloud.notEnforced) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  console.log(
    'Not enforced locally (accepted, no local effect): IAM evaluation, KMS encryption, cross-account access, quotas:',
  );
  console.log(`  ${[...byType].map(([type, n]) => `${type} ×${n}`).join(', ')}`);
  for (const warning of cloud.warnings) console.log(`  note: ${warning}`);
  if (opts.host) console.log(exposure(cloud, localConsole));
}

/** What `--host` opens to the network, in one line. */
function exposure(cloud: LocalCloud, localConsole: LocalConsole | undefined): string {
  const port = (url: string) => new URL(url).port;
  const ports = [
    `${port(cloud.endpoints.messaging)} (SNS/SQS/S3)`,
    `${port(cloud.endpoints.dynamodb)} (DynamoDB)`,
    ...(localConsole ? [`${port(localConsole.url)} (console)`] : []),
  ];
  return `--host: listening on every interface, ports ${ports.join(', ')}: anyone who can reach this machine can publish, read and purge queues, and read and write tables, with no credentials checked.`;
}

let hinted = false;
/** The environment for aws-cli and the SDKs, then a command that works with it (once a run). */
function awsCliHint(cloud: LocalCloud): void {
  if (hinted) return;
  hinted = true;
  console.log('For aws-cli and the AWS SDKs, in another shell:');
  console.log(`  ${shellExports(awsEnvironment(cloud))}`);
  console.log('Try: aws sns list-topics');
}

/** How to publish to a stack without a demo: the CLI, the console and aws-cli with the environment it needs. */
function howToPublish(cloud: LocalCloud, localConsole: LocalConsole | undefined): void {
  console.log('No demo traffic (fanout.config.ts has no `demo`). To publish:');
  console.log('  npx fanout publish <topic> --file events.ndjson   (one {"eventType","payload"} per line)');
  if (localConsole) console.log(`  the console's publish form: ${localConsole.url}`);
  console.log('  aws-cli: aws sns publish --topic-arn <arn from list-topics> --message <json>');
  awsCliHint(cloud);
}

async function demo(run: AppDemo, cloud: LocalCloud, counter: OutcomeCounter): Promise<boolean> {
  const bars = new MultiBar({ hideCursor: true, clearOnComplete: false }, Presets.shades_classic);
  // Function log lines go above the progress bars while they are drawn (bars draw on a terminal only).
  if (process.stdout.isTTY) say = (text) => bars.log(`${text}\n`);
  const published = bars.create(1, 0, {}, { format: ' published        [{bar}] {value}/{total}' });
  const outcomes = bars.create(1, 0, {}, { format: ' record outcomes  [{bar}] {value}  (queue backlog {backlog})' });
  let backlog = 0;
  const timer = setInterval(() => {
    const done = counter.total();
    outcomes.setTotal(Math.max(1, done + backlog));
    outcomes.update(done, { backlog });
  }, 200);
  const report = await run({
    cloud,
    counter,
    size: opts.demoSize,
    onBacklog: (n) => (backlog = n),
    onPublished: (sent, total) => {
      published.setTotal(total);
      published.update(sent);
    },
  }).finally(() => {
    clearInterval(timer);
    bars.stop();
    say = console.log;
  });
  console.log(`\n${report.summary}`);
  console.log(report.ok ? 'Result: OK — every check passed.' : 'Result: FAILED — see the summary above.');
  const first = counter.firstOutcomeAt;
  console.log(
    `Publish ${seconds(report.publishMs)}, drain + alarm settle ${seconds(report.settleMs)}` +
      (first ? `, first message processed ${seconds(first - t0)} after start` : '') +
      '.',
  );
  return report.ok;
}

/** The app's config; without one, `--stack` must name the stack (any CDK app runs, with no demo or console forms). */
async function appConfig(): Promise<LoadedAppConfig | undefined> {
  if (findAppConfig() || !opts.stack) return loadAppConfig();
  return undefined;
}

/** `--watch`: one line per change handled (`reloaded ledger in 312 ms`). */
async function watch(cloud: LocalCloud, appDir: string) {
  cloud.events.on('watch', (event) => say(formatWatchEvent(event)));
  const watcher = await watchApp(cloud, { appDir, assemblyDir: resolve(appDir, opts.assembly) });
  const handlers = new Set(watcher.functions.map((f) => f.entry)).size;
  console.log(
    `Watching ${relative(process.cwd(), appDir) || '.'} (${handlers} handler file${handlers === 1 ? '' : 's'}): a saved handler reloads in place; other changes re-synthesize.`,
  );
  return watcher;
}

async function main(): Promise<void> {
  const config = await appConfig();
  const appDir = config?.dir ?? process.cwd();
  synthIfStale(appDir);
  const counter = new OutcomeCounter();
  const cloud = await startLocalCloud({
    assemblyDir: resolve(appDir, opts.assembly),
    stackName: opts.stack ?? stackName(config!.topology.name, opts.stage),
    timeScale: opts.timeScale,
    ports: { messaging: opts.port, dynamodb: opts.port === 0 ? 0 : opts.port + 1 },
    registryFile: defaultRegistryFile(),
    host: opts.host ? '0.0.0.0' : '127.0.0.1',
    onLog: (fn, line) => {
      counter.onLog(fn, line);
      const text = opts.logs ? formatFunctionLog(fn, line) : undefined;
      if (text) say(text);
    },
  });
  // With random emulator ports (--port 0), the console takes a random one too unless told otherwise.
  const consolePort =
    opts.port === 0 && program.getOptionValueSource('consolePort') === 'default' ? 0 : opts.consolePort;
  const localConsole = opts.console
    ? await startConsole(cloud, {
        port: consolePort,
        host: opts.host ? '0.0.0.0' : '127.0.0.1',
        ...(config ? { topology: config.topology } : {}),
      }).catch(async (error: unknown) => {
        await cloud.stop();
        throw error;
      })
    : undefined;
  printStartup(cloud, localConsole);
  let ok = true;
  try {
    const run = config?.demo as AppDemo | undefined;
    if (opts.demo && run) ok = await demo(run, cloud, counter);
    else if (opts.demo) howToPublish(cloud, localConsole);
  } catch (error) {
    ok = false;
    console.error(`Demo failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  console.log(`Whole run: ${seconds(performance.now() - t0)}.`);
  if (opts.once) {
    await localConsole?.stop();
    await cloud.stop();
    process.exit(ok ? 0 : 1);
  }
  const watcher = opts.watch ? await watch(cloud, appDir) : undefined;
  console.log('\nServing until Ctrl-C.');
  awsCliHint(cloud);
  const shutdown = () =>
    void Promise.all([watcher?.stop().then(() => cloud.stop()) ?? cloud.stop(), localConsole?.stop()]).then(() =>
      process.exit(0),
    );
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
