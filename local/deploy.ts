import type { StackArtifact } from './assembly.ts';
import { dependencyOrder } from './dependency-order.ts';
import { IntrinsicResolutionError, LocalCloudError, UnsupportedResourceTypesError, type UnsupportedResource } from './errors.ts';
import { resolveValue, type ResolveContext } from './intrinsics.ts';
import { PROVISIONERS } from './provisioners/index.ts';
import type { DeploymentContext } from './provisioners/types.ts';

export interface DeployResult {
  /** The template's Outputs, resolved to local values. */
  readonly outputs: Record<string, string>;
  /** Resources accepted but not emulated (IAM, KMS, policies…). */
  readonly notEnforced: readonly UnsupportedResource[];
}

function parameterValues(stack: StackArtifact, overrides: Readonly<Record<string, string>>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const [name, parameter] of Object.entries(stack.template.Parameters ?? {})) {
    const value = overrides[name] ?? parameter.Default;
    if (value === undefined) missing.push(name);
    values[name] = parameter.Type === 'CommaDelimitedList' && typeof value === 'string' ? value.split(',') : value;
  }
  if (missing.length) {
    throw new LocalCloudError(`Stack '${stack.stackName}' has parameters without a default: ${missing.join(', ')}. Pass them in the 'parameters' option.`);
  }
  return values;
}

function resolveContext(stack: StackArtifact, ctx: DeploymentContext, parameters: Record<string, unknown>): ResolveContext {
  const conditions = new Map<string, boolean>();
  const resolver: ResolveContext = {
    pseudo: ctx.pseudo,
    parameters,
    mappings: (stack.template as { Mappings?: ResolveContext['mappings'] }).Mappings,
    condition(name) {
      if (!conditions.has(name)) {
        const definition = stack.template.Conditions?.[name];
        if (definition === undefined) throw new IntrinsicResolutionError(`condition '${name}'`, 'it is not defined in Conditions');
        conditions.set(name, Boolean(resolveValue(definition, resolver, `Conditions.${name}`)));
      }
      return conditions.get(name)!;
    },
    ref(logicalId) {
      const resource = ctx.registry.get(logicalId);
      if (!resource) throw new IntrinsicResolutionError(`Ref ${logicalId}`, 'no such resource or parameter (or its Condition is false)');
      return resource.physicalId;
    },
    getAtt(logicalId, attribute) {
      const resource = ctx.registry.get(logicalId);
      const value = resource?.attributes[attribute];
      if (value === undefined) throw new IntrinsicResolutionError(`Fn::GetAtt ${logicalId}.${attribute}`, resource ? `${resource.type} has no attribute '${attribute}' locally` : 'no such resource');
      return value;
    },
  };
  return resolver;
}

/** Creates every resource of the stack in dependency order and resolves its outputs. */
export async function deployStack(stack: StackArtifact, ctx: DeploymentContext, parameterOverrides: Readonly<Record<string, string>> = {}): Promise<DeployResult> {
  const resolver = resolveContext(stack, ctx, parameterValues(stack, parameterOverrides));
  const resources = stack.template.Resources;
  const active = Object.fromEntries(Object.entries(resources).filter(([, r]) => !r.Condition || resolver.condition(r.Condition)));
  const unsupported = Object.entries(active)
    .filter(([, r]) => !PROVISIONERS.has(r.Type))
    .map(([logicalId, r]) => ({ logicalId, type: r.Type }));
  if (unsupported.length) throw new UnsupportedResourceTypesError(stack.stackName, unsupported);
  const notEnforced: UnsupportedResource[] = [];
  for (const logicalId of dependencyOrder(active)) {
    const resource = active[logicalId]!;
    const provisioner = PROVISIONERS.get(resource.Type)!;
    const properties = resolveValue(resource.Properties ?? {}, resolver, `${logicalId}.Properties`) as Record<string, unknown>;
    const { physicalId, attributes } = await provisioner.provision({ logicalId, properties, resource, ctx });
    ctx.registry.add({ logicalId, type: resource.Type, physicalId, attributes, properties, enforced: provisioner.enforced });
    if (!provisioner.enforced) notEnforced.push({ logicalId, type: resource.Type });
  }
  const outputs: Record<string, string> = {};
  for (const [key, output] of Object.entries(stack.template.Outputs ?? {})) {
    if (output.Condition && !resolver.condition(output.Condition)) continue;
    const value = resolveValue(output.Value, resolver, `Outputs.${key}`);
    outputs[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return { outputs, notEnforced };
}
