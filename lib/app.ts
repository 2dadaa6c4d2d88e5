import type { Topology } from '../topology/index.ts';
import { stackName } from '../topology/internal.ts';
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { createRequire } from 'node:module';
import { FanoutStackError, isExplainedError } from './errors.ts';
import { FanoutStack } from './fanout-stack.ts';
import type { HandlerLocation } from './handler-files.ts';
import { readPlacementFile, writePlacementFile } from './placement/placement-record.ts';
import { ACCEPT_REPLACEMENT_CONTEXT } from './placement/replacement-rule.ts';
import { ACCEPT_SCHEMA_CHANGE_CONTEXT } from './schemas/compatibility.ts';
import { guardSchemas } from './schemas/schema-guard.ts';
import { readSchemaLock, writeSchemaLock } from './schemas/schema-lock.ts';
import { stageFromContext } from './stage.ts';

/**
 * Feature flags this app is written against, set in code so that tests (which do not read cdk.json)
 * synthesize exactly what `cdk synth` does.
 */
export const FEATURE_FLAGS = {
  // SNS may use a subscribed queue's key only on behalf of the subscribed topic (aws:SourceArn).
  '@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/core:checkSecretUsage': true,
} as const;

export interface FanoutAppOptions {
  readonly topology: Topology;
  /**
   * Where the consumers' handler files are: a folder holding `<handler>.ts` per consumer, or a map
   * from handler name to file.
   * @default 'handlers' - the folder `handlers/` of the directory `cdk synth` runs in
   */
  readonly handlers?: HandlerLocation;
  /** Extra context (e.g. `{ stage: 'prod' }`); CLI `-c` values come in through the environment. */
  readonly context?: Record<string, unknown>;
  /**
   * Run cdk-nag's AwsSolutions and Serverless packs during synthesis (findings fail the synth).
   * @default true
   */
  readonly nag?: boolean;
  /** @default - `cdk.out` or the CLI's output directory */
  readonly outdir?: AppProps['outdir'];
  /**
   * Run CDK's built-in CloudFormation schema validation on synthesis (about 2 s for this stack).
   * @default true
   */
  readonly cloudFormationValidation?: boolean;
  /**
   * The committed placement file (`fanout.placement.json`): read to keep every endpoint in the stack
   * it was placed in and to refuse replacing stateful resources; rewritten when endpoints are added or
   * removed. Commit it with the topology.
   * @default - none: every endpoint is placed afresh and nothing is written (tests)
   */
  readonly placementFile?: string;
  /**
   * The committed schema lock (`fanout.schemas.json`): the JSON Schema of every event type as the last
   * synthesis accepted it. A changed schema must keep its event type's `compatibility` with the
   * recorded one (messages outlive deployments) or the synthesis fails; the file is rewritten with
   * the schemas accepted. Commit it with the topology.
   * @default - none: schema changes are not checked and nothing is written (tests)
   */
  readonly schemaFile?: string;
}

/** cdk-nag is an optional peer dependency: loaded only when the checks are on. */
function loadCdkNag(): typeof import('cdk-nag') {
  try {
    return createRequire(import.meta.url)('cdk-nag') as typeof import('cdk-nag');
  } catch {
    throw new FanoutStackError(
      "cdk-nag is not installed, and the app runs its checks (nag defaults to true). Fix: 'npm install --save-dev cdk-nag', or pass nag: false to createFanoutApp.",
    );
  }
}

/** A context value listing names: comma-separated (from `-c`) or an array (from code). */
function contextList(app: App, key: string): string[] {
  const value = app.node.tryGetContext(key) as unknown;
  return typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : Array.isArray(value)
      ? value.map(String)
      : [];
}

/**
 * The CDK app: one FanoutStack named `<app>-<stage>` for the stage given by `-c stage=...` (with
 * nested endpoint stacks when the topology outgrows one stack).
 */
export function createFanoutApp(options: FanoutAppOptions): { app: App; stack: FanoutStack } {
  const app = new App({
    context: { ...FEATURE_FLAGS, ...options.context },
    outdir: options.outdir,
    builtinCloudFormationValidation: options.cloudFormationValidation,
  });
  const stage = stageFromContext(app);
  const name = stackName(options.topology.name, stage);
  const schemas = options.schemaFile
    ? guardSchemas(options.topology, readSchemaLock(options.schemaFile), contextList(app, ACCEPT_SCHEMA_CHANGE_CONTEXT))
    : undefined;
  const stack = new FanoutStack(app, name, {
    stackName: name,
    topology: options.topology,
    ...(options.handlers ? { handlers: options.handlers } : {}),
    stage,
    description: `Fanout messaging topology '${options.topology.name}' (${stage})`,
    ...(options.placementFile ? { placement: readPlacementFile(options.placementFile) } : {}),
    acceptReplacements: contextList(app, ACCEPT_REPLACEMENT_CONTEXT),
  });
  if (options.placementFile) writePlacementFile(options.placementFile, stack.placement);
  if (options.schemaFile && schemas) writeSchemaLock(options.schemaFile, schemas);
  if (options.nag ?? true) {
    const nag = loadCdkNag();
    Validations.of(app).addPlugins(new nag.AwsSolutionsChecks(app), new nag.ServerlessChecks(app));
  }
  return { app, stack };
}

/**
 * `cdk synth`'s entry: synthesizes the app; a topology or construct error (whose message names the
 * element, the rule and the fix) is printed alone and exits 1 — a stack trace would only bury it.
 */
export function synthesizeOrExplain(options: FanoutAppOptions): void {
  try {
    createFanoutApp(options).app.synth();
  } catch (error) {
    if (!isExplainedError(error)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
