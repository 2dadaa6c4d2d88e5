import type { StackArtifact, Template, TemplateResource } from '../assembly/index.ts';
import { dependencyOrder } from './dependency-order.ts';
import {
  IntrinsicResolutionError,
  LocalCloudError,
  UnsupportedResourceTypesError,
  type UnsupportedResource,
} from './errors.ts';
import { resolveValue, type ResolveContext } from './intrinsics.ts';
import { NESTED_STACK_TYPE, readNestedStack } from '../assembly/index.ts';
import { PROVISIONERS } from './provisioners/index.ts';
import type { DeploymentContext } from './provisioners/types.ts';

/** One stack the deployment created: the root or a nested stack. */
export interface DeployedStack {
  readonly stackName: string;
  readonly stackId: string;
  /**
   * Logical id path of the stack from the root, each nested stack's logical id followed by `/`
   * (`''` for the root); its resources are registered as `<path><logicalId>`.
   */
  readonly path: string;
  readonly template: Template;
  /** Its own Outputs, resolved to local values. */
  readonly outputs: Readonly<Record<string, string>>;
}

export interface DeployResult {
  /** The root template's Outputs, resolved to local values. */
  readonly outputs: Record<string, string>;
  /** Resources accepted but not emulated (IAM, KMS, policies…); nested ones by their logical id path. */
  readonly notEnforced: readonly UnsupportedResource[];
  /** The root stack first, then every nested stack in the order it was deployed. */
  readonly stacks: readonly DeployedStack[];
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
    throw new LocalCloudError(
      `Stack '${stack.stackName}' has parameters without a default: ${missing.join(', ')}. Pass them in the 'parameters' option.`,
    );
  }
  return values;
}

function resolveContext(
  stack: StackArtifact,
  ctx: DeploymentContext,
  parameters: Record<string, unknown>,
  path: string,
): ResolveContext {
  const conditions = new Map<string, boolean>();
  const resolver: ResolveContext = {
    pseudo: ctx.pseudo,
    parameters,
    mappings: (stack.template as { Mappings?: ResolveContext['mappings'] }).Mappings,
    condition(name) {
      if (!conditions.has(name)) {
        const definition = stack.template.Conditions?.[name];
        if (definition === undefined)
          throw new IntrinsicResolutionError(`condition '${name}'`, 'it is not defined in Conditions');
        conditions.set(name, Boolean(resolveValue(definition, resolver, `Conditions.${name}`)));
      }
      return conditions.get(name)!;
    },
    ref(logicalId) {
      const resource = ctx.registry.get(path + logicalId);
      if (!resource)
        throw new IntrinsicResolutionError(
          `Ref ${logicalId}`,
          'no such resource or parameter (or its Condition is false)',
        );
      return resource.physicalId;
    },
    getAtt(logicalId, attribute) {
      const resource = ctx.registry.get(path + logicalId);
      const value = resource?.attributes[attribute];
      if (value === undefined)
        throw new IntrinsicResolutionError(
          `Fn::GetAtt ${logicalId}.${attribute}`,
          resource ? `${resource.type} has no attribute '${attribute}' locally` : 'no such resource',
        );
      return value;
    },
  };
  return resolver;
}

const activeResources = (stack: StackArtifact, resolver: ResolveContext) =>
  Object.fromEntries(
    Object.entries(stack.template.Resources).filter(([, r]) => !r.Condition || resolver.condition(r.Condition)),
  );

const nestedTemplateUrl = (resource: TemplateResource, resolver: ResolveContext, where: string) =>
  resolveValue(resource.Properties?.TemplateURL, resolver, `${where}.Properties.TemplateURL`);

/**
 * Every resource of the stack and of its nested stacks the local cloud cannot run, by logical id
 * path, so one error names them all before anything is created. Conditions inside nested stacks are
 * not evaluated here (their parameters come from resources not created yet): every resource counts.
 */
function unsupportedResources(
  stack: StackArtifact,
  resources: Record<string, TemplateResource>,
  resolver: ResolveContext,
  path: string,
): UnsupportedResource[] {
  return Object.entries(resources).flatMap(([logicalId, r]) => {
    if (r.Type === NESTED_STACK_TYPE) {
      const child = readNestedStack(stack, logicalId, r, nestedTemplateUrl(r, resolver, logicalId));
      return unsupportedResources(child, child.template.Resources, resolver, `${path}${logicalId}/`);
    }
    return PROVISIONERS.has(r.Type) ? [] : [{ logicalId: path + logicalId, type: r.Type }];
  });
}

const asParameterValue = (value: unknown) =>
  typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : JSON.stringify(value);

async function deployNestedStack(
  parent: StackArtifact,
  logicalId: string,
  resource: TemplateResource,
  properties: Record<string, unknown>,
  ctx: DeploymentContext,
  path: string,
  into: DeployedStack[],
  notEnforced: UnsupportedResource[],
) {
  const child = readNestedStack(parent, logicalId, resource, properties.TemplateURL);
  const stackId = `arn:aws:cloudformation:${ctx.pseudo.region}:${ctx.pseudo.accountId}:stack/${child.stackName}/local`;
  const childCtx: DeploymentContext = {
    ...ctx,
    stackName: child.stackName,
    pseudo: { ...ctx.pseudo, stackName: child.stackName, stackId },
  };
  const parameters = Object.fromEntries(
    Object.entries((properties.Parameters ?? {}) as Record<string, unknown>).map(([k, v]) => [k, asParameterValue(v)]),
  );
  const deployed = await deployResources(child, childCtx, parameters, `${path}${logicalId}/`, into, notEnforced);
  return {
    physicalId: stackId,
    attributes: Object.fromEntries(Object.entries(deployed.outputs).map(([key, value]) => [`Outputs.${key}`, value])),
  };
}

async function deployResources(
  stack: StackArtifact,
  ctx: DeploymentContext,
  overrides: Readonly<Record<string, string>>,
  path: string,
  into: DeployedStack[],
  notEnforced: UnsupportedResource[],
): Promise<DeployedStack> {
  const resolver = resolveContext(stack, ctx, parameterValues(stack, overrides), path);
  const active = activeResources(stack, resolver);
  const slot = into.push(undefined as unknown as DeployedStack) - 1;
  for (const logicalId of dependencyOrder(active)) {
    const resource = active[logicalId]!;
    const properties = resolveValue(resource.Properties ?? {}, resolver, `${logicalId}.Properties`) as Record<
      string,
      unknown
    >;
    if (resource.Type === NESTED_STACK_TYPE) {
      const { physicalId, attributes } = await deployNestedStack(
        stack,
        logicalId,
        resource,
        properties,
        ctx,
        path,
        into,
        notEnforced,
      );
      ctx.registry.add({
        logicalId: path + logicalId,
        type: resource.Type,
        physicalId,
        attributes,
        properties,
        enforced: true,
      });
      continue;
    }
    const provisioner = PROVISIONERS.get(resource.Type)!;
    const { physicalId, attributes } = await provisioner.provision({ logicalId, properties, resource, ctx });
    ctx.registry.add({
      logicalId: path + logicalId,
      type: resource.Type,
      physicalId,
      attributes,
      properties,
      enforced: provisioner.enforced,
    });
    if (!provisioner.enforced) notEnforced.push({ logicalId: path + logicalId, type: resource.Type });
  }
  const outputs: Record<string, string> = {};
  for (const [key, output] of Object.entries(stack.template.Outputs ?? {})) {
    if (output.Condition && !resolver.condition(output.Condition)) continue;
    const value = resolveValue(output.Value, resolver, `Outputs.${key}`);
    outputs[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  const deployed: DeployedStack = {
    stackName: stack.stackName,
    stackId: ctx.pseudo.stackId,
    path,
    template: stack.template,
    outputs,
  };
  into[slot] = deployed;
  return deployed;
}

/**
 * Creates every resource of the stack in dependency order — a nested stack (`AWS::CloudFormation::Stack`)
 * as a stack of its own, from its template in the assembly, with its Parameters passed in and its
 * Outputs readable as `Fn::GetAtt <logicalId>.Outputs.<key>` — and resolves the outputs.
 */
export async function deployStack(
  stack: StackArtifact,
  ctx: DeploymentContext,
  parameterOverrides: Readonly<Record<string, string>> = {},
): Promise<DeployResult> {
  const resolver = resolveContext(stack, ctx, parameterValues(stack, parameterOverrides), '');
  const unsupported = unsupportedResources(stack, activeResources(stack, resolver), resolver, '');
  if (unsupported.length) throw new UnsupportedResourceTypesError(stack.stackName, unsupported);
  const stacks: DeployedStack[] = [];
  const notEnforced: UnsupportedResource[] = [];
  const root = await deployResources(stack, ctx, parameterOverrides, '', stacks, notEnforced);
  return { outputs: { ...root.outputs }, notEnforced, stacks };
}
