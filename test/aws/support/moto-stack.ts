import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import {
  bootstrapAndPublishAssets,
  createStack,
  FIXTURE_APP_DIR,
  synthesize,
  withoutResources,
  type Removal,
  type Template,
} from './moto-deploy.ts';
import { createSkippedResources, skippedTypes, type GapHandling } from './moto-gaps.ts';
import { startMotoServer, type MotoServer } from './moto-server.ts';

/** Removed from the template before CreateStack. */
export const REMOVED: readonly Removal[] = [
  {
    type: 'AWS::Lambda::EventSourceMapping',
    reason:
      'moto would start polling and invoke the functions through Docker, which this machine lacks; no test here needs a consumer to run',
  },
];

/** Resource types moto 5.2's CloudFormation accepts but does not create (it logs "No Moto CloudFormation support"). */
export const MOTO_SKIPS: Readonly<Record<string, GapHandling>> = {
  'AWS::SNS::Subscription': { createdBy: 'SNS Subscribe' },
  'AWS::CloudWatch::Alarm': { createdBy: 'CloudWatch PutMetricAlarm' },
  'AWS::SQS::QueuePolicy': { leftOut: 'moto does not evaluate resource policies' },
  'AWS::SNS::TopicPolicy': { leftOut: 'moto does not evaluate resource policies' },
  'AWS::S3::BucketPolicy': { leftOut: 'moto does not evaluate resource policies' },
  'AWS::CDK::Metadata': { leftOut: 'CDK usage metadata, no AWS resource behind it' },
};

export interface MotoFixtureStack {
  readonly moto: MotoServer;
  readonly assemblyDir: string;
  /** The template as deployed (removals applied). */
  readonly template: Template;
  readonly outputs: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * Starts moto, synthesizes the fixture app as `cdk deploy` would, and deploys it into moto's
 * CloudFormation (assets published, what moto skips created by hand); prints what differs from AWS.
 */
export async function deployFixtureStack(stackName: string): Promise<MotoFixtureStack> {
  const [moto, assembly] = await Promise.all([startMotoServer(), synthesize(stackName)]);
  const prepared = withoutResources(assembly.template, REMOVED);
  const template = prepared.template;
  await bootstrapAndPublishAssets(moto.endpoint, assembly);
  const deployed = await createStack(moto.endpoint, stackName, template);
  const skipped = skippedTypes(template, deployed);
  expect([...skipped.keys()].sort()).toEqual(Object.keys(MOTO_SKIPS).sort());
  const created = await createSkippedResources(moto.endpoint, template, deployed);
  for (const [type, n] of created) expect(n).toBe(skipped.get(type));
  const outputs = Object.fromEntries(deployed.stack.Outputs!.map((o) => [o.OutputKey!, o.OutputValue!]));
  const lines = [
    ...REMOVED.map(
      (r) =>
        `  removed ${r.type} ×${prepared.removed.filter((id) => assembly.template.Resources[id]!.Type === r.type).length}: ${r.reason}`,
    ),
    ...[...skipped].map(([type, n]) => {
      const h = MOTO_SKIPS[type]!;
      return `  moto skips ${type} ×${n}: ${'createdBy' in h ? `created through ${h.createdBy}` : `left out (${h.leftOut})`}`;
    }),
  ];
  console.info(`Deployed ${stackName} to moto at ${moto.endpoint}:\n${lines.join('\n')}`);
  return {
    moto,
    assemblyDir: assembly.dir,
    template,
    outputs,
    stop: async () => {
      await moto.stop();
      rmSync(assembly.dir, { recursive: true, force: true });
    },
  };
}

const REPO = resolve(import.meta.dirname, '../../..');

/** The real CLI in a child process in the fixture app's folder (it reads its fanout.config.ts, as a user's app's), colours off. */
export async function runFanout(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'bin', 'fanout.ts'), ...args],
      { cwd: FIXTURE_APP_DIR, env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' }, maxBuffer: 16 * 1024 * 1024 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
