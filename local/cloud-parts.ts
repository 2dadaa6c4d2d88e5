/**
 * The parts `startLocalCloud` composes, one starter each: it starts its part and returns it with
 * the function that stops it (see `startup.ts`).
 */
import type { StackArtifact } from '../assembly/index.ts';
import { AlarmEvaluator } from './alarms/evaluator.ts';
import type { ScaledClock } from './alarms/clock.ts';
import type { MetricStore } from './alarms/metric-store.ts';
import { QueueSampler } from './alarms/queue-sampler.ts';
import type { StartLocalCloudOptions } from './cloud.ts';
import type { CloudEvents } from './cloud-events.ts';
import { deployStack, type DeployResult } from './deploy.ts';
import { startEmulators, type Emulators } from './emulators.ts';
import { EventSourcePoller } from './esm/poller.ts';
import { LambdaHost } from './lambda/host.ts';
import type { FunctionLogStore } from './logs/log-store.ts';
import { logsApi } from './logs/logs-api.ts';
import type { DeploymentContext } from './provisioners/types.ts';
import { removeRegistryFile, writeRegistryFile } from './registry-file.ts';
import { ResourceRegistry } from './registry.ts';
import type { Started } from './startup.ts';
import { statusFileFor, StatusSnapshotWriter } from './status-snapshot.ts';

/** fauxqs behind the move-task / archive front, and DynamoDB Local (or a namespace in a running one). */
export async function startEmulatorsPart(
  options: StartLocalCloudOptions,
  region: string,
  logStore: FunctionLogStore,
): Promise<Started<Emulators>> {
  const emulators = await startEmulators(
    options.ports ?? {},
    region,
    options.dynamodb,
    options.host,
    logsApi(logStore),
  );
  return { value: emulators, stop: () => emulators.stop() };
}

/** The Lambda host: environments start on the first invocation of each function. */
export function startLambdasPart(
  options: StartLocalCloudOptions,
  emulators: Emulators,
  region: string,
  metrics: MetricStore,
  events: CloudEvents,
  logStore: FunctionLogStore,
): Started<LambdaHost> {
  const lambdas = new LambdaHost({
    endpoints: emulators.endpoints,
    credentials: emulators.credentials,
    region,
    metrics,
    logStore,
    onLog: (functionName, line) => {
      options.onLog?.(functionName, line);
      if (events.has('log')) events.emit('log', { functionName, line });
    },
    ...(options.chaos ? { chaos: options.chaos } : {}),
    ...(options.idleEnvironmentMs !== undefined ? { idleTimeoutMs: options.idleEnvironmentMs } : {}),
    ...(options.maxEnvironmentsPerFunction !== undefined
      ? { maxEnvironmentsPerFunction: options.maxEnvironmentsPerFunction }
      : {}),
    ...(options.maxEnvironments !== undefined ? { maxEnvironments: options.maxEnvironments } : {}),
  });
  return { value: lambdas, stop: () => lambdas.stop() };
}

/** Every resource of the stack (and its nested stacks); they live in the emulators and end with them. */
export async function deployPart(
  stack: StackArtifact,
  options: StartLocalCloudOptions,
  parts: {
    readonly region: string;
    readonly accountId: string;
    readonly clock: ScaledClock;
    readonly emulators: Emulators;
    readonly lambdas: LambdaHost;
  },
): Promise<Started<{ deployed: DeployResult; ctx: DeploymentContext }>> {
  const { region, accountId, emulators } = parts;
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
    registry: new ResourceRegistry(),
    clock: parts.clock,
    lambdas: parts.lambdas,
    eventSourceMappings: [],
    alarms: [],
    warnings: [],
  };
  const deployed = await deployStack(stack, ctx, options.parameters);
  return { value: { deployed, ctx } };
}

/** The alarm evaluator, and the status snapshot it keeps current (with a registry or status file). */
export function startAlarmsPart(
  options: StartLocalCloudOptions,
  ctx: DeploymentContext,
  emulators: Emulators,
  metrics: MetricStore,
  events: CloudEvents,
): Started<{ evaluator: AlarmEvaluator; snapshot: StatusSnapshotWriter | undefined }> {
  const statusFile = options.statusFile ?? (options.registryFile ? statusFileFor(options.registryFile) : undefined);
  const snapshot = statusFile ? new StatusSnapshotWriter(statusFile, { alarms: () => evaluator.status() }) : undefined;
  const evaluator = new AlarmEvaluator({
    metrics,
    sns: emulators.clients.sns,
    region: ctx.pseudo.region,
    accountId: ctx.pseudo.accountId,
    onStateChange: (change) => {
      snapshot?.write();
      options.onAlarm?.(change);
      events.emit('alarm', change);
    },
  });
  evaluator.start(ctx.alarms);
  return {
    value: { evaluator, snapshot },
    stop: () => {
      evaluator.stop();
      snapshot?.close();
    },
  };
}

/** Queue gauges sampled from fauxqs for the alarms, the status snapshot and `queueSample` events. */
export function startSamplerPart(
  ctx: DeploymentContext,
  emulators: Emulators,
  metrics: MetricStore,
  events: CloudEvents,
  snapshot: StatusSnapshotWriter | undefined,
): Started<QueueSampler> {
  const queueNames = () => ctx.registry.ofType('AWS::SQS::Queue').map((q) => String(q.attributes.QueueName));
  const sampler = new QueueSampler(emulators.fauxqs, metrics, queueNames, (gauges) => {
    snapshot?.sampled(gauges);
    events.emit('queueSample', gauges);
  });
  sampler.start();
  return { value: sampler, stop: () => sampler.stop() };
}

/**
 * One poller per event source mapping. Stopping them ends the functions' environments too: a batch
 * in flight ends when its worker is terminated instead of holding the stop up to the function timeout.
 */
export function startPollersPart(
  options: StartLocalCloudOptions,
  ctx: DeploymentContext,
  emulators: Emulators,
  lambdas: LambdaHost,
  metrics: MetricStore,
  region: string,
): Started<EventSourcePoller[]> {
  const pollers = ctx.eventSourceMappings.map((config) => {
    const dims = { QueueName: config.queueArn.split(':').pop()! };
    return new EventSourcePoller(config, {
      sqs: emulators.sqsDirect,
      visibilityChanges: emulators.visibilityChanges,
      region,
      invoke: (fn, event) => lambdas.invoke(fn, event),
      whenEnvironmentFree: (fn, work) => lambdas.whenEnvironmentFree(fn, work),
      onBatch: (report) => {
        metrics.record('AWS/SQS', 'NumberOfMessagesReceived', dims, report.messageIds.length);
        metrics.record('AWS/SQS', 'NumberOfMessagesDeleted', dims, report.deleted);
        options.onBatch?.(report);
      },
    });
  });
  for (const poller of pollers) poller.start();
  return {
    value: pollers,
    stop: async () => {
      await Promise.all([...pollers.map((p) => p.stop()), lambdas.stop()]);
    },
  };
}

/** `.fanout/local.json` (or the given file) for other processes; removed on stop. */
export function writeRegistryPart(
  options: StartLocalCloudOptions,
  cloud: {
    readonly stack: StackArtifact;
    readonly deployed: DeployResult;
    readonly emulators: Emulators;
    readonly region: string;
    readonly accountId: string;
    readonly clock: ScaledClock;
    readonly snapshot: StatusSnapshotWriter | undefined;
  },
): Started<string | undefined> {
  const file = options.registryFile;
  if (!file) return { value: undefined };
  const { emulators, snapshot } = cloud;
  writeRegistryFile(file, {
    pid: process.pid,
    region: cloud.region,
    endpoints: {
      sqs: emulators.endpoints.messaging,
      sns: emulators.endpoints.messaging,
      s3: emulators.endpoints.messaging,
      dynamodb: emulators.endpoints.dynamodb,
      logs: emulators.endpoints.messaging,
    },
    ...(snapshot ? { statusFile: snapshot.file } : {}),
    stacks: Object.fromEntries(cloud.deployed.stacks.map((s) => [s.stackName, { outputs: s.outputs }])),
    assemblyDir: cloud.stack.assemblyDir,
    accountId: cloud.accountId,
    timeScale: cloud.clock.timeScale,
    startedAt: new Date().toISOString(),
  });
  return { value: file, stop: () => removeRegistryFile(file) };
}
