import type { Template, TemplateResource } from '../assembly/index.ts';
import type { DeployedStack } from './deploy.ts';
import { NESTED_STACK_TYPE } from '../assembly/index.ts';

/** The logical id of the nested stack resource a path ends in, and its parent's path (`A/B/` → `B`, `A/`). */
function splitPath(path: string): { parentPath: string; logicalId: string } {
  const parts = path.split('/').filter(Boolean);
  return {
    logicalId: parts.at(-1)!,
    parentPath: parts
      .slice(0, -1)
      .map((p) => `${p}/`)
      .join(''),
  };
}

/**
 * A tree of nested stacks as one template, for readers that draw or inspect a deployment whole (the
 * console's graph): each nested resource under its logical id path (`Endpoints1…/QueueX`, the ids
 * the resource registry uses), a Ref to a nested stack's parameter replaced by the expression its
 * parent passes, a GetAtt of a nested stack's output by that output's value. The root's Outputs stay.
 */
export function flattenStacks(stacks: readonly DeployedStack[]): Template {
  const byPath = new Map(stacks.map((s) => [s.path, s]));
  const rewrite = (value: unknown, path: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => rewrite(v, path));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [key, arg] = entries[0]!;
      if (key === 'Ref' && typeof arg === 'string' && !arg.startsWith('AWS::')) {
        const stack = byPath.get(path)!;
        if (path && stack.template.Parameters?.[arg]) {
          const { parentPath, logicalId } = splitPath(path);
          const passed = (
            byPath.get(parentPath)!.template.Resources[logicalId]!.Properties?.Parameters as
              | Record<string, unknown>
              | undefined
          )?.[arg];
          if (passed !== undefined) return rewrite(passed, parentPath);
        }
        return { Ref: `${path}${arg}` };
      }
      if (key === 'Fn::GetAtt') {
        const [id, attribute] =
          typeof arg === 'string'
            ? [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)]
            : (arg as [string, string]);
        const nested = byPath.get(`${path}${id}/`);
        if (nested && typeof attribute === 'string' && attribute.startsWith('Outputs.')) {
          return rewrite(nested.template.Outputs?.[attribute.slice('Outputs.'.length)]?.Value, nested.path);
        }
        return { 'Fn::GetAtt': [`${path}${id}`, attribute] };
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, rewrite(v, path)]));
  };
  const resources: Record<string, TemplateResource> = {};
  for (const stack of stacks) {
    for (const [id, resource] of Object.entries(stack.template.Resources)) {
      if (resource.Type === NESTED_STACK_TYPE) continue;
      const dependsOn =
        resource.DependsOn === undefined ? undefined : [resource.DependsOn].flat().map((d) => `${stack.path}${d}`);
      resources[`${stack.path}${id}`] = {
        ...resource,
        ...(resource.Properties
          ? { Properties: rewrite(resource.Properties, stack.path) as Record<string, unknown> }
          : {}),
        ...(dependsOn ? { DependsOn: dependsOn } : {}),
      };
    }
  }
  const root = stacks[0]!;
  return { ...root.template, Resources: resources };
}
