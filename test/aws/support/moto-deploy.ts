import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  paginateListStackResources,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { MOTO_ACCOUNT, MOTO_REGION, motoClientConfig, motoProcessEnv } from './moto-env.ts';
import { zipDirectory } from './zip.ts';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../../..');

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
}
export type Template = { Resources: Record<string, CfnResource> } & Record<string, unknown>;

export interface Assembly {
  readonly dir: string;
  readonly stackName: string;
  readonly template: Template;
}

/** The framework fixture app: its CDK entry, and the folder whose fanout.config.ts the CLI reads. */
export const FIXTURE_APP_DIR = resolve(import.meta.dirname, '../../fixtures/app');

/**
 * `cdk synth` of the fixture app (the fixture stack, stage dev from cdk.json's context) into a fresh
 * directory, as `cdk deploy` does.
 */
export async function synthesize(stackName: string): Promise<Assembly> {
  const dir = mkdtempSync(join(tmpdir(), 'fanout-moto-assembly-'));
  const cdk = createRequire(import.meta.url).resolve('aws-cdk/bin/cdk');
  await run(
    process.execPath,
    [cdk, 'synth', '--app', `tsx ${join(FIXTURE_APP_DIR, 'cdk-app.ts')}`, '--no-notices', '-q', '-o', dir, stackName],
    {
      cwd: REPO,
      env: {
        ...process.env,
        CDK_DISABLE_CLI_TELEMETRY: 'true',
        PATH: `${join(REPO, 'node_modules/.bin')}${delimiter}${process.env.PATH}`,
      },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const template = JSON.parse(readFileSync(join(dir, `${stackName}.template.json`), 'utf8')) as Template;
  return { dir, stackName, template };
}

/** A resource removed from the template before deploying, with why. */
export interface Removal {
  readonly type: string;
  readonly reason: string;
}

/** The template without the resources of the given types (and without references to them in DependsOn). */
export function withoutResources(
  template: Template,
  removals: readonly Removal[],
): { template: Template; removed: string[] } {
  const types = new Set(removals.map((r) => r.type));
  const removed = Object.keys(template.Resources).filter((id) => types.has(template.Resources[id]!.Type));
  const resources = Object.fromEntries(
    Object.entries(template.Resources)
      .filter(([id]) => !removed.includes(id))
      .map(([id, r]) => {
        if (r.DependsOn === undefined) return [id, r];
        const dependsOn = [r.DependsOn].flat().filter((d) => !removed.includes(d));
        return [id, { ...r, DependsOn: dependsOn }];
      }),
  );
  // A reference to a removed resource (the dashboard names each event source mapping's UUID) becomes
  // a fixed placeholder string, as if the resource had that physical id.
  const unref = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(unref);
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [[fn, arg]] = entries as [[string, unknown]];
      if (fn === 'Ref' && typeof arg === 'string' && removed.includes(arg)) return `removed-${arg}`;
      if (fn === 'Fn::GetAtt' && Array.isArray(arg) && removed.includes(String(arg[0])))
        return `removed-${String(arg[0])}`;
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, unref(v)]));
  };
  return { template: unref({ ...template, Resources: resources }) as Template, removed };
}

const substitute = (text: string) =>
  text.replaceAll('${AWS::AccountId}', MOTO_ACCOUNT).replaceAll('${AWS::Region}', MOTO_REGION);

/**
 * What `cdk bootstrap` and the asset publishing of `cdk deploy` leave behind: the bootstrap version
 * parameter (through the awscli, the SSM SDK client is not a dependency) and every file asset, zipped,
 * under the bucket and key the template references.
 */
export async function bootstrapAndPublishAssets(endpoint: string, assembly: Assembly): Promise<string[]> {
  await run(
    'aws',
    [
      '--endpoint-url',
      endpoint,
      'ssm',
      'put-parameter',
      '--name',
      '/cdk-bootstrap/hnb659fds/version',
      '--value',
      '30',
      '--type',
      'String',
      '--overwrite',
    ],
    {
      env: motoProcessEnv(endpoint),
    },
  );
  const manifest = JSON.parse(readFileSync(join(assembly.dir, `${assembly.stackName}.assets.json`), 'utf8')) as {
    files: Record<
      string,
      {
        source: { path: string; packaging?: string };
        destinations: Record<string, { bucketName: string; objectKey: string }>;
      }
    >;
  };
  const s3 = new S3Client({ ...motoClientConfig(endpoint), forcePathStyle: true });
  const uploaded: string[] = [];
  try {
    const buckets = new Set<string>();
    for (const asset of Object.values(manifest.files)) {
      const source = join(assembly.dir, asset.source.path);
      const body = asset.source.packaging === 'zip' ? zipDirectory(source) : readFileSync(source);
      for (const d of Object.values(asset.destinations)) {
        const bucket = substitute(d.bucketName);
        if (!buckets.has(bucket)) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        buckets.add(bucket);
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: d.objectKey, Body: body }));
        uploaded.push(`${bucket}/${d.objectKey}`);
      }
    }
  } finally {
    s3.destroy();
  }
  return uploaded;
}

export interface Deployed {
  readonly stack: Stack;
  /** Logical id → type and physical id, as moto's CloudFormation reports them. */
  readonly resources: ReadonlyMap<string, { readonly type: string; readonly physicalId: string }>;
}

/** CreateStack, then waits for CREATE_COMPLETE (the stack's failure reason otherwise). */
export async function createStack(endpoint: string, stackName: string, template: Template): Promise<Deployed> {
  // No retries: a retried CreateStack after moto failed part-way reports AlreadyExists, hiding why.
  const cfn = new CloudFormationClient({ ...motoClientConfig(endpoint), maxAttempts: 1 });
  try {
    await cfn.send(
      new CreateStackCommand({
        StackName: stackName,
        TemplateBody: JSON.stringify(template),
        Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
      }),
    );
    let stack: Stack | undefined;
    for (;;) {
      stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
      if (!stack?.StackStatus?.endsWith('_IN_PROGRESS')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (stack?.StackStatus !== 'CREATE_COMPLETE') {
      throw new Error(`Stack ${stackName} ended in ${stack?.StackStatus} on moto: ${stack?.StackStatusReason}`);
    }
    const resources = new Map<string, { type: string; physicalId: string }>();
    for await (const page of paginateListStackResources({ client: cfn }, { StackName: stackName })) {
      for (const r of page.StackResourceSummaries ?? []) {
        resources.set(r.LogicalResourceId!, { type: r.ResourceType!, physicalId: r.PhysicalResourceId! });
      }
    }
    return { stack, resources };
  } finally {
    cfn.destroy();
  }
}
