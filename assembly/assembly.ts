import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AssemblyError, AssemblyNotFoundError, StackNotFoundError } from './errors.ts';

/** The parts of a CloudFormation template the local cloud reads. */
export interface Template {
  readonly Parameters?: Record<string, { readonly Type?: string; readonly Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources: Record<string, TemplateResource>;
  readonly Outputs?: Record<
    string,
    { readonly Value: unknown; readonly Description?: string; readonly Condition?: string }
  >;
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
  readonly Metadata?: Record<string, unknown>;
}

export interface StackArtifact {
  readonly stackName: string;
  /** Directory of the (possibly nested) assembly holding the template and its `asset.*` folders. */
  readonly assemblyDir: string;
  readonly templateFile: string;
  readonly template: Template;
  /** Newest modification time of the manifest, in ms since epoch (staleness checks). */
  readonly synthesizedAt: number;
}

interface ManifestArtifact {
  readonly type: string;
  readonly displayName?: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly stackName?: string;
    readonly directoryName?: string;
  };
}

interface StackCandidate {
  readonly names: readonly string[];
  readonly dir: string;
  readonly templateFile: string;
  readonly stackName: string;
}

function readManifest(dir: string): Record<string, ManifestArtifact> {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) throw new AssemblyNotFoundError(dir);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  return manifest.artifacts ?? {};
}

/** Every stack in an assembly, nested assemblies (CDK stages) included. */
function listStacks(dir: string): StackCandidate[] {
  const stacks: StackCandidate[] = [];
  for (const [id, artifact] of Object.entries(readManifest(dir))) {
    if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
      const stackName = artifact.properties.stackName ?? id;
      const names = [stackName, id, artifact.displayName].filter((n): n is string => Boolean(n));
      stacks.push({ names, dir, templateFile: join(dir, artifact.properties.templateFile), stackName });
    } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      stacks.push(...listStacks(join(dir, artifact.properties.directoryName)));
    }
  }
  return stacks;
}

/** Names of the stacks an assembly holds. */
export function stackNames(assemblyDir: string): string[] {
  return listStacks(resolve(assemblyDir)).map((s) => s.stackName);
}

/** Reads one stack (by stack name, artifact id or display name) from a cloud assembly directory. */
export function readStack(assemblyDir: string, stackName: string): StackArtifact {
  const dir = resolve(assemblyDir);
  const stacks = listStacks(dir);
  const found = stacks.find((s) => s.names.includes(stackName));
  if (!found)
    throw new StackNotFoundError(
      stackName,
      stacks.map((s) => s.stackName),
    );
  let template: Template;
  try {
    template = JSON.parse(readFileSync(found.templateFile, 'utf8')) as Template;
  } catch (error) {
    throw new AssemblyError(
      `Template of stack '${stackName}' at '${found.templateFile}' is not readable JSON: ${String(error)}. Re-run 'npx cdk synth'.`,
      {
        cause: error,
      },
    );
  }
  return {
    stackName: found.stackName,
    assemblyDir: found.dir,
    templateFile: found.templateFile,
    template: { ...template, Resources: template.Resources ?? {} },
    synthesizedAt: statSync(join(found.dir, 'manifest.json')).mtimeMs,
  };
}
