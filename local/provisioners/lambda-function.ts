import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TemplateResource } from '../../assembly/index.ts';
import { AssetNotFoundError, InvalidResourceConfigError } from '../errors.ts';
import { TEMPLATE_DEFAULTS } from '../limits.ts';
import { arn, generatedName } from './naming.ts';
import type { DeploymentContext, Provisioner, ProvisionRequest } from './types.ts';

const FUNCTION_NAME_MAX = 64;

/** Where a function's asset is in the assembly: its `aws:asset:path` metadata, else its S3Key's hash. */
export function assetDirectory(assemblyDir: string, resource: TemplateResource): string | undefined {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') return join(assemblyDir, assetPath);
  const code = (resource.Properties?.Code ?? {}) as { S3Key?: unknown };
  const fromKey = typeof code.S3Key === 'string' ? code.S3Key.match(/^([0-9a-f]{64})\.zip$/)?.[1] : undefined;
  return fromKey ? join(assemblyDir, `asset.${fromKey}`) : undefined;
}

/** The directory of the function's code: the bundled asset in the assembly, or inline code written to a temp dir. */
function codeDirectory({ logicalId, properties: p, resource, ctx }: ProvisionRequest): string {
  const code = (p.Code ?? {}) as { S3Key?: string; ZipFile?: string; ImageUri?: string };
  if (code.ImageUri) {
    throw new InvalidResourceConfigError(
      logicalId,
      'container image functions cannot run locally (no Docker)',
      'Use a zip/asset function (NodejsFunction).',
    );
  }
  if (typeof code.ZipFile === 'string') {
    const dir = join(tmpdir(), 'fanout-local-inline', ctx.stackName, logicalId);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.js'), code.ZipFile);
    return dir;
  }
  const candidate = assetDirectory(ctx.assemblyDir, resource);
  if (!candidate)
    throw new AssetNotFoundError(
      logicalId,
      `no 'aws:asset:path' metadata and S3Key ${JSON.stringify(code.S3Key)} names no local asset`,
    );
  if (!existsSync(candidate)) throw new AssetNotFoundError(logicalId, `'${candidate}' does not exist`);
  if (!statSync(candidate).isDirectory())
    throw new AssetNotFoundError(logicalId, `'${candidate}' is a file, not an unzipped asset directory`);
  return candidate;
}

function checkRuntime(logicalId: string, runtime: string, ctx: DeploymentContext): void {
  if (!runtime.startsWith('nodejs')) {
    throw new InvalidResourceConfigError(
      logicalId,
      `runtime '${runtime}' cannot run locally (worker threads run Node.js only)`,
      'Use a nodejs runtime.',
    );
  }
  if (runtime !== 'nodejs24.x')
    ctx.warnings.push(`${logicalId}: runtime ${runtime} runs on the local Node ${process.versions.node}`);
}

export const lambdaFunction: Provisioner = {
  type: 'AWS::Lambda::Function',
  enforced: true,
  provision(request) {
    const { logicalId, properties: p, ctx } = request;
    const runtime = String(p.Runtime ?? '');
    checkRuntime(logicalId, runtime, ctx);
    const functionName =
      (p.FunctionName as string | undefined) ?? generatedName(ctx, logicalId, { maxLength: FUNCTION_NAME_MAX });
    const functionArn = arn(ctx, 'lambda', `function:${functionName}`);
    const variables = ((p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ??
      {}) as Record<string, unknown>;
    const logGroup = (p.LoggingConfig as { LogGroup?: string } | undefined)?.LogGroup ?? `/aws/lambda/${functionName}`;
    const reserved = p.ReservedConcurrentExecutions;
    ctx.lambdas.register({
      logicalId,
      functionName,
      arn: functionArn,
      handler: String(p.Handler ?? 'index.handler'),
      codeDir: codeDirectory(request),
      runtime,
      timeoutSeconds: Number(p.Timeout ?? TEMPLATE_DEFAULTS.lambdaTimeoutSeconds),
      memoryMb: Number(p.MemorySize ?? TEMPLATE_DEFAULTS.lambdaMemoryMb),
      environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)])),
      ...(reserved !== undefined ? { reservedConcurrency: Number(reserved) } : {}),
      logGroupName: logGroup,
    });
    return { physicalId: functionName, attributes: { Arn: functionArn } };
  },
};
