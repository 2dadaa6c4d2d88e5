import path from 'node:path';
import { Duration, RemovalPolicy, Stage } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CONSUMER_RULES } from '../topology/internal.ts';
import { BUNDLE_HANDLER, HANDLER_SOURCE_METADATA, type HandlerSource } from '../contracts/index.ts';
import { bundledHandler } from './bundler.ts';
import { acknowledgeNag } from './nag-suppressions.ts';
import { fromTopologyRules, isResolved, resolvedOrUndefined, validateProps, type PropsRule } from './validate-props.ts';

export interface ConsumerProps {
  /** Physical function name. */
  readonly functionName: string;
  /** The handler file (absolute path); it exports `handler`. */
  readonly entry: string;
  /**
   * The endpoint this consumer drains, as the local cloud's watch names it when it reloads the code.
   * @default - the function name
   */
  readonly endpoint?: string;
  /** The queue the function drains. */
  readonly queue: sqs.IQueue;
  /** Function timeout in seconds (1–900); the queue's visibility timeout must be ≥ 6 × this. */
  readonly timeoutSeconds: number;
  /** Memory in MiB (128–10,240). */
  readonly memoryMb: number;
  /** Records per invocation. */
  readonly batchSize: number;
  /**
   * Seconds (0–300) the event source waits to fill a batch.
   * @default 0 - invoke as soon as records are available
   */
  readonly batchingWindowSeconds?: number;
  /**
   * Most concurrent invocations the event source starts (2–1000).
   * @default - no cap other than the account's concurrency
   */
  readonly maxConcurrency?: number;
  /**
   * ESM provisioned mode: minimum (2–200) and maximum (2–2,000) pollers. Not with `maxConcurrency`.
   * @default - on-demand polling
   */
  readonly pollers?: { readonly min: number; readonly max: number };
  /**
   * Event filter patterns (Lambda's filter rule syntax on the SQS record); a record matching none is
   * deleted without an invocation.
   * @default [] - no filtering
   */
  readonly filters?: readonly Readonly<Record<string, unknown>>[];
  /**
   * Publish the event source mapping's event counts (`MetricsConfig: EventCount`).
   * @default true
   */
  readonly eventCountMetrics?: boolean;
  /** Environment variables (the CONSUMER_ENV contract, built by `consumerEnvironment`). */
  readonly environment: Readonly<Record<string, string>>;
  /** Days the function's log group keeps logs. */
  readonly logRetentionDays: number;
  /**
   * Removal policy of the log group.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * The function's code.
   * @default - the handler bundled in process by the local esbuild (`bundledHandler`): minified ESM for node24
   */
  readonly code?: lambda.Code;
}

/** The topology's consumer rules (topology/validate-consumer.ts), with its wording; unresolved tokens are skipped. */
const RULES: readonly PropsRule<ConsumerProps>[] = fromTopologyRules(CONSUMER_RULES, (p: ConsumerProps) => ({
  timeoutSeconds: resolvedOrUndefined(p.timeoutSeconds),
  memoryMb: resolvedOrUndefined(p.memoryMb),
  maxConcurrency: resolvedOrUndefined(p.maxConcurrency),
  pollers: p.pollers && isResolved(p.pollers.min) && isResolved(p.pollers.max) ? p.pollers : undefined,
  filters: p.filters,
}));

/**
 * A queue's Lambda consumer: nodejs24.x on arm64 with JSON logs in its own log group, its own role
 * (no AWS managed policy) and an SQS event source that always reports partial batch failures.
 */
export class Consumer extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** The SQS event source mapping's UUID (the `EventSourceMappingUUID` dimension of its metrics). */
  readonly eventSourceMappingId: string;

  constructor(scope: Construct, id: string, props: ConsumerProps) {
    super(scope, id);
    validateProps(this, props, RULES);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: retentionDays(props.logRetentionDays),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of consumer ${props.functionName}`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      entry: props.entry,
      // The bundle's file is index.mjs (see bundler.ts); it exports `handler`.
      handler: BUNDLE_HANDLER,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.seconds(props.timeoutSeconds),
      memorySize: props.memoryMb,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: { ...props.environment },
      code: props.code ?? bundledHandler(props.entry),
    });
    if (!props.code) recordHandlerSource(this.function, props.endpoint ?? props.functionName, props.entry);
    acknowledgeNag(this.role, 'xrayTracing');
    acknowledgeNag(this.function, 'sqsTriggeredFunction');
    const window = props.batchingWindowSeconds ?? 0;
    const source = new SqsEventSource(props.queue, {
      batchSize: props.batchSize,
      maxBatchingWindow: window > 0 ? Duration.seconds(window) : undefined,
      maxConcurrency: props.maxConcurrency,
      reportBatchItemFailures: true,
      filters: props.filters?.length
        ? props.filters.map((pattern) => lambda.FilterCriteria.filter({ ...pattern }))
        : undefined,
      metricsConfig: props.eventCountMetrics === false ? undefined : { metrics: [lambda.MetricType.EVENT_COUNT] },
      provisionedPollerConfig: props.pollers
        ? { minimumPollers: props.pollers.min, maximumPollers: props.pollers.max }
        : undefined,
    });
    this.function.addEventSource(source);
    this.eventSourceMappingId = source.eventSourceMappingId;
  }
}

/**
 * Where the bundled handler's source is, on the function resource, relative to the cloud assembly:
 * the local cloud's watch rebuilds it from there when the file or what it imports changes.
 */
function recordHandlerSource(fn: lambda.Function, endpoint: string, entry: string): void {
  const outdir = Stage.of(fn)?.outdir;
  if (!outdir) return;
  const source: HandlerSource = { endpoint, entry: path.relative(outdir, entry) };
  (fn.node.defaultChild as lambda.CfnFunction).addMetadata(HANDLER_SOURCE_METADATA, source);
}

/** CloudWatch Logs accepts only certain retention periods; pick the shortest one that keeps `days`. */
function retentionDays(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays)
    .filter((value): value is number => typeof value === 'number' && value > 0)
    .sort((a, b) => a - b);
  const match = allowed.find((value) => value >= days);
  return (match ?? logs.RetentionDays.INFINITE) as logs.RetentionDays;
}
