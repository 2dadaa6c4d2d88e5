import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstLimit, planAt, type PlanInput } from '../../../client/plan/plan.ts';
import type { MeasuredRequests } from '../../../client/plan/measured.ts';
import { readTemplateFacts } from '../../../client/plan/template.ts';
import type { ModelAssumptions } from '../../../client/plan/endpoint-model.ts';
import { createFanoutApp } from '../../../lib/app.ts';
import { resolveTopology } from '../../../topology/resolve.ts';
import type { Topology } from '../../../topology/types.ts';
import { handlersOf } from '../../fixtures/app/handlers.ts';

/** Synthesizes a topology (no bundling, no nag; every consumer on the fixture handler) into a fresh assembly directory. */
export function synthAssembly(topology: Topology, stage = 'dev'): { assemblyDir: string; stackName: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'fanout-plan-'));
  const { app, stack } = createFanoutApp({
    handlers: handlersOf(topology),
    topology,
    outdir,
    nag: false,
    cloudFormationValidation: false,
    context: { stage, 'aws:cdk:bundling-stacks': [] },
  });
  app.synth();
  return { assemblyDir: outdir, stackName: stack.stackName };
}

export const ASSUMPTIONS: ModelAssumptions = {
  payloadBytes: 1024,
  invocationMs: 100,
  hotShare: 0.1,
  kmsUsedPerSecond: 0,
};

export function planInputFor(
  topology: Topology,
  options: {
    stage?: string;
    region?: string;
    measured?: MeasuredRequests;
    assumptions?: Partial<ModelAssumptions>;
    split?: PlanInput['split'];
  } = {},
): PlanInput {
  const stage = options.stage ?? 'dev';
  const { assemblyDir, stackName } = synthAssembly(topology, stage);
  return {
    topology: resolveTopology(topology, stage),
    facts: readTemplateFacts(assemblyDir, stackName),
    measured: options.measured,
    region: options.region ?? 'us-east-1',
    split: options.split ?? {},
    assumptions: { ...ASSUMPTIONS, ...options.assumptions },
  };
}

export { firstLimit, planAt };

/**
 * The fixture stack's client-side calls per message, as `npm run bench:requests` counted them on
 * the same-shaped reference stack (rounded), fixed here so the hand computations do not move when the bench is rerun.
 */
export const FIXTURE_MEASURED: MeasuredRequests = {
  measuredAt: '2026-12-01T00:00:00.000Z',
  commit: 'fixture',
  command: 'test fixture',
  messagesPerEventType: 20,
  note: 'fixture',
  publisher: {
    CartPlaced: { 'SNS:PublishBatch': 0.1 },
    CartCancelled: { 'SNS:PublishBatch': 0.1 },
    CartShipped: { 'SNS:PublishBatch': 0.1 },
    FundsCaptured: { 'SNS:PublishBatch': 0.2 },
    FundsRefunded: { 'SNS:PublishBatch': 0.2 },
    TaskRequested: { 'SQS:SendMessageBatch': 0.1 },
  },
  endpoints: {
    inventory: {
      byEventType: {
        CartPlaced: { 'DynamoDB:TransactWriteItems': 0.1, 'write:idempotency': 2, 'write:reservations': 2 },
        CartCancelled: {
          'DynamoDB:TransactWriteItems': 0.1,
          'write:idempotency': 2,
          'write:reservations': 2,
          'DynamoDB:Query': 1,
          'read:reservations': 1,
        },
      },
    },
    email: {
      byEventType: {
        CartPlaced: { 'write:idempotency': 2, 'write:sent-emails': 2 },
        CartShipped: { 'write:idempotency': 2, 'write:sent-emails': 2 },
      },
    },
    warehouse: { byEventType: { CartPlaced: { 'DynamoDB:PutItem': 1, 'write:picks': 1 } } },
    analytics: {
      byEventType: {
        CartPlaced: {
          'SQS:GetQueueAttributes': 0.05,
          'SQS:DeleteMessageBatch': 0.1,
          'write:idempotency': 1,
          'write:event-counts': 1,
        },
        CartCancelled: {
          'SQS:GetQueueAttributes': 0.05,
          'SQS:DeleteMessageBatch': 0.1,
          'write:idempotency': 1,
          'write:event-counts': 1,
        },
        CartShipped: { 'SQS:DeleteMessageBatch': 0.1, 'write:idempotency': 1, 'write:event-counts': 1 },
      },
    },
    ledger: {
      byEventType: {
        FundsCaptured: { 'write:idempotency': 2, 'write:ledger': 2 },
        FundsRefunded: { 'write:idempotency': 2, 'write:ledger': 2 },
      },
    },
    audit: {
      byEventType: {
        FundsCaptured: { 'write:audit-log': 1, 'read:audit-log': 1 },
        FundsRefunded: { 'write:audit-log': 1, 'read:audit-log': 1 },
      },
    },
    jobs: { byEventType: { TaskRequested: { 'write:idempotency': 2, 'write:job-results': 2, 'SQS:SendMessage': 1 } } },
  },
  claimCheck: {
    payloadBytes: 300_000,
    messages: 4,
    publisher: { 'SNS:PublishBatch': 0.25, 'S3:PutObject': 1 },
    consumers: { inventory: { 'S3:GetObject': 1 }, email: { 'S3:GetObject': 1 } },
  },
};

/** Runs `fanout <args>` as a user would; FANOUT_DEBUG unset so failures print one line. */
export function fanout(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const root = join(import.meta.dirname, '..', '..', '..');
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
  delete env.FANOUT_DEBUG;
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bin', 'fanout.ts'), ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
