import { readStack, type Template } from '../assembly/index.ts';
import type { AlarmStatus } from './alarms/evaluator.ts';
import type { StateChange } from './alarms/alarm-message.ts';
import { ScaledClock } from './alarms/clock.ts';
import { CloudEvents } from './cloud-events.ts';
import { FunctionLogStore } from './logs/log-store.ts';
import {
  deployPart,
  startAlarmsPart,
  startEmulatorsPart,
  startLambdasPart,
  startPollersPart,
  startSamplerPart,
  writeRegistryPart,
} from './cloud-parts.ts';
import { MetricStore } from './alarms/metric-store.ts';
import { readQueueGauges, type QueueGauges } from './alarms/queue-sampler.ts';
import type { DeployedStack } from './deploy.ts';
import { flattenStacks } from './flatten-template.ts';
import type { AwsClients, Credentials, EmulatorPorts, Endpoints, ListenHost, RunningDynamoDb } from './emulators.ts';
import type { UnsupportedResource } from './errors.ts';
import type { BatchReport, EventSourcePoller } from './esm/poller.ts';
import type { ChaosOptions } from './lambda/chaos.ts';
import type { LambdaHost } from './lambda/host.ts';
import type { LogListener } from './lambda/worker-pool.ts';
import { LOCAL_DEFAULTS } from './limits.ts';
import type { ResourceRegistry } from './registry.ts';
import { Startup } from './startup.ts';

export interface StartLocalCloudOptions {
  /** Cloud assembly directory (holds manifest.json). */
  readonly assemblyDir: string;
  /** Stack name, artifact id or display name in the assembly. */
  readonly stackName: string;
  /** Emulator ports; 0 picks free ports. @default { messaging: 0, dynamodb: 0 } */
  readonly ports?: EmulatorPorts;
  /**
   * Address the emulators listen on: '127.0.0.1' keeps them on this machine; '0.0.0.0' lets anyone
   * who reaches it publish, read queues and read and write tables (no credentials are checked).
   * @default '127.0.0.1'
   */
  readonly host?: ListenHost;
  /**
   * A DynamoDB Local already running (without `-sharedDb`), e.g. one for a whole test run: the cloud
   * uses an access key id of its own in it (its tables are invisible to other clouds) and stop
   * leaves it running.
   * @default - the cloud starts its own DynamoDB Local and stops it with the cloud
   */
  readonly dynamodb?: RunningDynamoDb;
  /** Virtual seconds per real second for alarm periods, visibility timeouts, delays and batching windows. @default 1 */
  readonly timeScale?: number;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** Values of template parameters that have no default. @default {} */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Where to record endpoints + outputs for other processes. @default - not written */
  readonly registryFile?: string;
  /**
   * Where to keep the status snapshot (alarm states, age of oldest message) for `fanout status`.
   * @default - `<registry file name>.status.json` next to `registryFile`; none without a registry file
   */
  readonly statusFile?: string;
  /** Every line the functions log. @default - kept in memory (see `lambdas.logs()`) */
  readonly onLog?: LogListener;
  readonly onBatch?: (report: BatchReport) => void;
  /** Fault injection (soak tests). @default - none */
  readonly chaos?: ChaosOptions;
  readonly onAlarm?: (change: StateChange) => void;
  /** An execution environment idle this long (ms, real time) is ended, as Lambda reaps idle ones. @default 60000 */
  readonly idleEnvironmentMs?: number;
  /**
   * Most execution environments (worker threads) of one function at once; invocations beyond them
   * wait for a free one. @default - the machine's cores, at least 2
   */
  readonly maxEnvironmentsPerFunction?: number;
  /**
   * Execution environments alive at once across all functions, a soft limit: a cold start beyond it
   * first ends the longest-idle environment of any function. @default - 8 per core, at least 16
   */
  readonly maxEnvironments?: number;
}

export interface LocalCloud {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  readonly endpoints: Endpoints;
  /**
   * What clients of this cloud sign with: SNS, SQS and S3 accept any credentials; DynamoDB, when
   * the cloud runs in a shared DynamoDB Local, shows its tables only to these.
   */
  readonly credentials: Credentials;
  /**
   * The template's Outputs resolved to local values, with those of its nested stacks (a root
   * output wins over a nested one of the same key).
   */
  readonly outputs: Readonly<Record<string, string>>;
  /** The root stack and each nested stack, with its own template and outputs. */
  readonly stacks: readonly DeployedStack[];
  readonly notEnforced: readonly UnsupportedResource[];
  /**
   * The stack's template as synthesized (intrinsics unresolved); with nested stacks, the whole tree
   * as one template (`flattenStacks`: nested resources under their logical id paths).
   */
  readonly template: Template;
  /** What runs differently from AWS for this stack. */
  readonly warnings: readonly string[];
  readonly resources: ResourceRegistry;
  readonly lambdas: LambdaHost;
  readonly pollers: readonly EventSourcePoller[];
  readonly metrics: MetricStore;
  readonly clock: ScaledClock;
  /** SDK clients pointed at the emulators. */
  readonly clients: AwsClients;
  /** Function log lines, alarm state changes and queue samples, as they happen (subscribe with `events.on`). */
  readonly events: CloudEvents;
  /**
   * The last lines of each function's log group, with their time (also served as CloudWatch Logs
   * FilterLogEvents on the messaging endpoint).
   */
  readonly logStore: FunctionLogStore;
  /** Absolute path of the status snapshot the cloud keeps current, when it keeps one. */
  readonly statusFile: string | undefined;
  /** Milliseconds from the call to every poller running. */
  readonly startupMs: number;
  alarms(): AlarmStatus[];
  /** Visible / in-flight / delayed / age of oldest for a queue (name or URL). */
  queueGauges(queue: string): QueueGauges | undefined;
  stop(): Promise<void>;
}

/**
 * Deploys a synthesized stack into in-process emulators and runs its functions, pollers and alarms.
 * Each part starts in turn and returns its stop; a throw anywhere stops what started, newest first,
 * and `stop()` does the same.
 */
export async function startLocalCloud(options: StartLocalCloudOptions): Promise<LocalCloud> {
  const started = performance.now();
  const region = options.region ?? LOCAL_DEFAULTS.region;
  const accountId = LOCAL_DEFAULTS.accountId;
  const stack = readStack(options.assemblyDir, options.stackName);
  const clock = new ScaledClock(options.timeScale ?? 1);
  const metrics = new MetricStore(clock);
  const events = new CloudEvents();
  const logStore = new FunctionLogStore();
  const startup = new Startup();
  return startup.run(async () => {
    const emulators = await startup.start('emulators', () => startEmulatorsPart(options, region, logStore));
    const lambdas = await startup.start('lambdas', () =>
      startLambdasPart(options, emulators, region, metrics, events, logStore),
    );
    const { deployed, ctx } = await startup.start('deploy', () =>
      deployPart(stack, options, { region, accountId, clock, emulators, lambdas }),
    );
    const alarms = await startup.start('alarms', () => startAlarmsPart(options, ctx, emulators, metrics, events));
    await startup.start('queue sampler', () => startSamplerPart(ctx, emulators, metrics, events, alarms.snapshot));
    const pollers = await startup.start('pollers', () =>
      startPollersPart(options, ctx, emulators, lambdas, metrics, region),
    );
    await startup.start('registry file', () =>
      writeRegistryPart(options, { stack, deployed, emulators, region, accountId, clock, snapshot: alarms.snapshot }),
    );
    let stopping: Promise<void> | undefined;
    return {
      stackName: stack.stackName,
      region,
      accountId,
      endpoints: emulators.endpoints,
      credentials: emulators.credentials,
      outputs: Object.assign({}, ...deployed.stacks.slice(1).map((s) => s.outputs), deployed.outputs) as Record<
        string,
        string
      >,
      stacks: deployed.stacks,
      notEnforced: deployed.notEnforced,
      template: deployed.stacks.length > 1 ? flattenStacks(deployed.stacks) : stack.template,
      warnings: ctx.warnings,
      resources: ctx.registry,
      lambdas,
      pollers,
      metrics,
      clock,
      clients: emulators.clients,
      events,
      logStore,
      statusFile: alarms.snapshot?.file,
      startupMs: performance.now() - started,
      alarms: () => alarms.evaluator.status(),
      queueGauges(queue) {
        const name = queue.includes('/') ? queue.split('/').pop()! : queue;
        return readQueueGauges(emulators.fauxqs, name, clock.timeScale);
      },
      stop() {
        stopping ??= startup.stop();
        return stopping;
      },
    } satisfies LocalCloud;
  });
}
