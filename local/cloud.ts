import { readStack, type Template } from './assembly.ts';
import { AlarmEvaluator, type AlarmStatus } from './alarms/evaluator.ts';
import type { StateChange } from './alarms/alarm-message.ts';
import { ScaledClock } from './alarms/clock.ts';
import { CloudEvents } from './cloud-events.ts';
import { MetricStore } from './alarms/metric-store.ts';
import { QueueSampler, readQueueGauges, type QueueGauges } from './alarms/queue-sampler.ts';
import { deployStack, type DeployedStack } from './deploy.ts';
import { flattenStacks } from './flatten-template.ts';
import {
  startEmulators,
  type AwsClients,
  type EmulatorPorts,
  type Endpoints,
  type RunningDynamoDb,
} from './emulators.ts';
import type { UnsupportedResource } from './errors.ts';
import { EventSourcePoller, type BatchReport } from './esm/poller.ts';
import { LambdaHost, type ChaosOptions } from './lambda/host.ts';
import type { LogListener } from './lambda/worker-pool.ts';
import { LOCAL_DEFAULTS } from './limits.ts';
import type { DeploymentContext } from './provisioners/types.ts';
import { removeRegistryFile, writeRegistryFile } from './registry-file.ts';
import { ResourceRegistry } from './registry.ts';
import { statusFileFor, StatusSnapshotWriter } from './status-snapshot.ts';

export interface StartLocalCloudOptions {
  /** Cloud assembly directory (holds manifest.json). */
  readonly assemblyDir: string;
  /** Stack name, artifact id or display name in the assembly. */
  readonly stackName: string;
  /** Emulator ports; 0 picks free ports. @default { messaging: 0, dynamodb: 0 } */
  readonly ports?: EmulatorPorts;
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
}

export interface LocalCloud {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  readonly endpoints: Endpoints;
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
  /** Absolute path of the status snapshot the cloud keeps current, when it keeps one. */
  readonly statusFile: string | undefined;
  /** Milliseconds from the call to every poller running. */
  readonly startupMs: number;
  alarms(): AlarmStatus[];
  /** Visible / in-flight / delayed / age of oldest for a queue (name or URL). */
  queueGauges(queue: string): QueueGauges | undefined;
  stop(): Promise<void>;
}

/** Deploys a synthesized stack into in-process emulators and runs its functions, pollers and alarms. */
export async function startLocalCloud(options: StartLocalCloudOptions): Promise<LocalCloud> {
  const started = performance.now();
  const region = options.region ?? LOCAL_DEFAULTS.region;
  const accountId = LOCAL_DEFAULTS.accountId;
  const stack = readStack(options.assemblyDir, options.stackName);
  const clock = new ScaledClock(options.timeScale ?? 1);
  const emulators = await startEmulators(options.ports ?? {}, region, options.dynamodb);
  const metrics = new MetricStore(clock);
  const events = new CloudEvents();
  const lambdas = new LambdaHost({
    endpoints: emulators.endpoints,
    credentials: emulators.credentials,
    region,
    metrics,
    onLog: (functionName, line) => {
      options.onLog?.(functionName, line);
      if (events.has('log')) events.emit('log', { functionName, line });
    },
    ...(options.chaos ? { chaos: options.chaos } : {}),
  });
  const registry = new ResourceRegistry();
  const ctx: DeploymentContext = {
    stackName: stack.stackName,
    assemblyDir: stack.assemblyDir,
    pseudo: {
      region,
      accountId,
      partition: 'aws',
      urlSuffix: 'amazonaws.com',
      stackName: stack.stackName,
      stackId: `arn:aws:cloudformation:${region}:${accountId}:stack/${stack.stackName}/local`,
    },
    clients: emulators.clients,
    fauxqs: emulators.fauxqs,
    registry,
    clock,
    lambdas,
    eventSourceMappings: [],
    alarms: [],
    warnings: [],
  };
  let deployed: Awaited<ReturnType<typeof deployStack>>;
  try {
    deployed = await deployStack(stack, ctx, options.parameters);
  } catch (error) {
    await lambdas.stop();
    await emulators.stop();
    throw error;
  }
  const queueNames = () => registry.ofType('AWS::SQS::Queue').map((q) => String(q.attributes.QueueName));
  const statusFile = options.statusFile ?? (options.registryFile ? statusFileFor(options.registryFile) : undefined);
  const snapshot = statusFile ? new StatusSnapshotWriter(statusFile, { alarms: () => evaluator.status() }) : undefined;
  const sampler = new QueueSampler(emulators.fauxqs, metrics, queueNames, (gauges) => {
    snapshot?.sampled(gauges);
    events.emit('queueSample', gauges);
  });
  const evaluator = new AlarmEvaluator({
    metrics,
    sns: emulators.clients.sns,
    region,
    accountId,
    onStateChange: (change) => {
      snapshot?.write();
      options.onAlarm?.(change);
      events.emit('alarm', change);
    },
  });
  const pollers = ctx.eventSourceMappings.map(
    (config) =>
      new EventSourcePoller(config, {
        sqs: emulators.sqsDirect,
        visibilityChanges: emulators.visibilityChanges,
        region,
        invoke: (fn, event) => lambdas.invoke(fn, event),
        onBatch: (report) => {
          const queueName = config.queueArn.split(':').pop()!;
          const deleted =
            report.outcome.kind === 'success'
              ? report.messageIds.length
              : report.outcome.kind === 'partial'
                ? report.messageIds.length - report.outcome.failedMessageIds.size
                : 0;
          metrics.record('AWS/SQS', 'NumberOfMessagesReceived', { QueueName: queueName }, report.messageIds.length);
          metrics.record('AWS/SQS', 'NumberOfMessagesDeleted', { QueueName: queueName }, deleted);
          options.onBatch?.(report);
        },
      }),
  );
  evaluator.start(ctx.alarms);
  sampler.start();
  for (const poller of pollers) poller.start();
  if (options.registryFile) {
    writeRegistryFile(options.registryFile, {
      pid: process.pid,
      region,
      endpoints: {
        sqs: emulators.endpoints.messaging,
        sns: emulators.endpoints.messaging,
        s3: emulators.endpoints.messaging,
        dynamodb: emulators.endpoints.dynamodb,
      },
      ...(snapshot ? { statusFile: snapshot.file } : {}),
      stacks: Object.fromEntries(deployed.stacks.map((s) => [s.stackName, { outputs: s.outputs }])),
      assemblyDir: stack.assemblyDir,
      accountId,
      timeScale: clock.timeScale,
      startedAt: new Date().toISOString(),
    });
  }
  let stopping: Promise<void> | undefined;
  return {
    stackName: stack.stackName,
    region,
    accountId,
    endpoints: emulators.endpoints,
    outputs: Object.assign({}, ...deployed.stacks.slice(1).map((s) => s.outputs), deployed.outputs) as Record<
      string,
      string
    >,
    stacks: deployed.stacks,
    notEnforced: deployed.notEnforced,
    template: deployed.stacks.length > 1 ? flattenStacks(deployed.stacks) : stack.template,
    warnings: ctx.warnings,
    resources: registry,
    lambdas,
    pollers,
    metrics,
    clock,
    clients: emulators.clients,
    events,
    statusFile: snapshot?.file,
    startupMs: performance.now() - started,
    alarms: () => evaluator.status(),
    queueGauges(queue) {
      const name = queue.includes('/') ? queue.split('/').pop()! : queue;
      return readQueueGauges(emulators.fauxqs, name, clock.timeScale);
    },
    stop() {
      stopping ??= (async () => {
        sampler.stop();
        evaluator.stop();
        snapshot?.close();
        const pollersStopped = Promise.all(pollers.map((p) => p.stop()));
        await lambdas.stop();
        await pollersStopped;
        await emulators.stop();
        if (options.registryFile) removeRegistryFile(options.registryFile);
      })();
      return stopping;
    },
  };
}
