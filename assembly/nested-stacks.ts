import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { StackArtifact, Template, TemplateResource } from './assembly.ts';
import { AssemblyError } from './errors.ts';

/** The resource type of a nested stack: deployed by deploy.ts itself, from its template in the assembly. */
export const NESTED_STACK_TYPE = 'AWS::CloudFormation::Stack';

interface AssetManifest {
  readonly files?: Record<
    string,
    {
      readonly source?: { readonly path?: string };
      readonly destinations?: Record<string, { readonly objectKey?: string }>;
    }
  >;
}

/** Asset file paths by S3 object key, from every `*.assets.json` of an assembly directory. */
function assetPathsByObjectKey(assemblyDir: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const file of readdirSync(assemblyDir).filter((f) => f.endsWith('.assets.json'))) {
    const manifest = JSON.parse(readFileSync(join(assemblyDir, file), 'utf8')) as AssetManifest;
    for (const asset of Object.values(manifest.files ?? {})) {
      for (const destination of Object.values(asset.destinations ?? {})) {
        if (destination.objectKey && asset.source?.path) paths.set(destination.objectKey, asset.source.path);
      }
    }
  }
  return paths;
}

/**
 * The template file of a nested stack: named by its `aws:asset:path` metadata (the CDK CLI's
 * default), else found through the asset manifests by the object key its TemplateURL ends in.
 */
export function nestedTemplateFile(
  parent: StackArtifact,
  logicalId: string,
  resource: TemplateResource,
  templateUrl: unknown,
): string {
  const metadataPath = resource.Metadata?.['aws:asset:path'];
  if (typeof metadataPath === 'string') return join(parent.assemblyDir, metadataPath);
  const objectKey = typeof templateUrl === 'string' ? basename(new URL(templateUrl).pathname) : undefined;
  const path = objectKey ? assetPathsByObjectKey(parent.assemblyDir).get(objectKey) : undefined;
  if (path && existsSync(join(parent.assemblyDir, path))) return join(parent.assemblyDir, path);
  throw new AssemblyError(
    `Nested stack ${logicalId} of stack '${parent.stackName}': its template (TemplateURL ${JSON.stringify(templateUrl)}) is not in the cloud assembly ` +
      `'${parent.assemblyDir}' (no 'aws:asset:path' metadata, no asset manifest entry for that object key). Fix: synthesize the app with the CDK CLI (\`npx cdk synth\`) into that directory.`,
  );
}

/** The nested stack `logicalId` of `parent` as a stack artifact of its own, named as CloudFormation would (parent-logicalId). */
export function readNestedStack(
  parent: StackArtifact,
  logicalId: string,
  resource: TemplateResource,
  templateUrl: unknown,
): StackArtifact {
  const templateFile = nestedTemplateFile(parent, logicalId, resource, templateUrl);
  let template: Template;
  try {
    template = JSON.parse(readFileSync(templateFile, 'utf8')) as Template;
  } catch (error) {
    throw new AssemblyError(
      `Template of nested stack ${logicalId} at '${templateFile}' is not readable JSON: ${String(error)}. Re-run 'npx cdk synth'.`,
      { cause: error },
    );
  }
  return {
    stackName: `${parent.stackName}-${logicalId}`.slice(0, 128),
    assemblyDir: parent.assemblyDir,
    templateFile,
    template: { ...template, Resources: template.Resources ?? {} },
    synthesizedAt: parent.synthesizedAt,
  };
}
